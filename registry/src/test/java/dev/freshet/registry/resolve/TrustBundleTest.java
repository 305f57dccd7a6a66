package dev.freshet.registry.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.UnreachableException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A registry with a private CA. In-process HTTPS server: the testbed's registries speak plain HTTP.
 * Its key and certificate (src/test/resources/tls, CN freshet-test-registry, SAN 127.0.0.1) were
 * made with {@code keytool -genkeypair -keyalg EC -ext SAN=ip:127.0.0.1,dns:localhost -storetype
 * PKCS12} and exist only for this test.
 */
class TrustBundleTest {
  private static final String DIGEST = Manifests.digestOf(Manifests.OCI_MANIFEST);
  private HttpsServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = getClass().getResourceAsStream("/tls/registry.p12")) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.getResponseHeaders().add("Docker-Content-Digest", DIGEST);
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ImageReference app() {
    return ImageReference.parse("127.0.0.1:" + server.getAddress().getPort() + "/team/app:v1");
  }

  private static Path pem() throws URISyntaxException {
    return Path.of(TrustBundleTest.class.getResource("/tls/registry-ca.pem").toURI());
  }

  @Test
  void trustsARegistryWhoseCaIsInTheBundle() throws Exception {
    Resolver resolver =
        Resolver.builder().plainHttpForLoopback(false).trustedCertificates(pem()).build();

    assertThat(resolver.resolve(app(), Optional.empty()).digest().toString()).isEqualTo(DIGEST);
  }

  @Test
  void withoutTheBundleTheHandshakeFailsOnceAndSaysWhatToDo() {
    Resolver resolver = Resolver.builder().plainHttpForLoopback(false).build();

    assertThatThrownBy(() -> resolver.resolve(app(), Optional.empty()))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("configure its CA bundle");
    assertThat(requests.get()).isZero();
  }

  @Test
  void aFileWithoutCertificatesIsRefusedAtConfiguration() throws Exception {
    Path empty = java.nio.file.Files.createTempFile("empty", ".pem");
    try {
      assertThatThrownBy(() -> Resolver.builder().trustedCertificates(empty))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no certificates");
    } finally {
      java.nio.file.Files.delete(empty);
    }
  }
}
