package dev.freshet.receive.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.receive.auth.GenericSignature;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import dev.freshet.receive.sources.GenericReceiver;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With an SSLContext the receiver serves HTTPS only; the certificate is made by the JDK's keytool.
 */
class TlsReceiverServerTest {

  private static final char[] PASSWORD = "changeit".toCharArray();

  @Test
  void servesHttpsWhenGivenAnSslContext(@TempDir Path dir) throws Exception {
    KeyStore keyStore = selfSignedKeyStore(dir);
    SSLContext server = SSLContext.getInstance("TLS");
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD);
    server.init(keys.getKeyManagers(), null, null);
    SSLContext client = SSLContext.getInstance("TLS");
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(keyStore);
    client.init(null, trust.getTrustManagers(), null);

    Secret secret = Secret.of("tls-secret");
    try (ReceiverServer receiver =
        ReceiverServer.builder()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .route(
                Routes.GENERIC,
                new GenericReceiver(
                    secret,
                    Clock.systemUTC(),
                    new SeenCache(Clock.systemUTC(), Duration.ofMinutes(11), 10)))
            .tls(server)
            .sink(h -> {})
            .build()
            .start()) {
      byte[] body =
          "{\"image\":\"ghcr.io/org/app\",\"tag\":\"dev\"}".getBytes(StandardCharsets.UTF_8);
      long now = Instant.now().getEpochSecond();
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("https://127.0.0.1:" + receiver.port() + Routes.GENERIC))
              .header("Content-Type", "application/json")
              .header(GenericSignature.TIMESTAMP_HEADER, Long.toString(now))
              .header(GenericSignature.SIGNATURE_HEADER, GenericSignature.sign(secret, now, body))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();

      var response =
          HttpClient.newBuilder()
              .sslContext(client)
              .build()
              .send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(202);

      HttpRequest plain =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.port() + Routes.GENERIC))
              .timeout(Duration.ofSeconds(5))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      assertThatThrownBy(
              () -> HttpClient.newHttpClient().send(plain, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.io.IOException.class);
    }
  }

  private static KeyStore selfSignedKeyStore(Path dir) throws Exception {
    Path file = dir.resolve("receiver.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "receiver",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "1",
                "-storetype",
                "PKCS12",
                "-keystore",
                file.toString(),
                "-storepass",
                new String(PASSWORD),
                "-keypass",
                new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as(new String(process.getInputStream().readAllBytes()))
        .isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD);
    }
    return store;
  }
}
