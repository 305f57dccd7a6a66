package dev.freshet.receive.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.receive.Coalescer;
import dev.freshet.receive.ImageHint;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.sources.DistributionReceiver;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real registry's push notification, received at the URL the testbed's registries notify, becomes
 * the hint naming the pushed repository, tag and digest.
 */
@WithTestbed
class DistributionNotificationsIT {

  private final List<ImageHint> hints = new CopyOnWriteArrayList<>();
  private ReceiverServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * Binds the receiver where the registries send their notifications. Other test classes may hold
   * that port for a while, so binding is retried until it is free.
   */
  private void listen(Testbed testbed, java.util.function.Consumer<ImageHint> sink) {
    URI notifyUrl = URI.create(testbed.registryNotifyUrl());
    AtomicReference<ReceiverServer> bound = new AtomicReference<>();
    await("the notify port " + notifyUrl.getPort() + " to be free")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              try {
                bound.set(
                    ReceiverServer.builder()
                        .address(new InetSocketAddress(notifyUrl.getHost(), notifyUrl.getPort()))
                        .route(
                            notifyUrl.getPath(),
                            new DistributionReceiver(
                                Secret.of("Bearer " + testbed.registryNotifyToken())))
                        .sink(sink)
                        .build()
                        .start());
                return true;
              } catch (BindException e) {
                return false;
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    server = bound.get();
  }

  private static String uniqueRepository() {
    return "receive-it/app-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aPushToTheRegistryBecomesAHintWithItsDigest(Testbed testbed) {
    listen(testbed, hints::add);
    String repository = uniqueRepository();

    PushedImage pushed = testbed.registry().pusher().push(repository, "dev");

    // The registry notifies about every push to it, including other tests' pushes; only ours count.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(hints)
                    .filteredOn(h -> h.repository().equals(repository))
                    .singleElement()
                    .satisfies(
                        h -> {
                          assertThat(h.registry()).isEqualTo(testbed.registry().host());
                          assertThat(h.tag()).isEqualTo("dev");
                          assertThat(h.digest()).contains(pushed.digest());
                          assertThat(h.source()).isEqualTo("distribution");
                        }));
  }

  @Test
  void aMultiArchPushBecomesOneHintForTheIndex(Testbed testbed) {
    Coalescer coalescer = new Coalescer(Duration.ofSeconds(2), hints::add);
    listen(testbed, coalescer);
    String repository = uniqueRepository();

    PushedImage pushed =
        testbed.registry().pusher().pushMultiArch(repository, "v1", "linux/amd64", "linux/arm64");

    // Platform manifests are pushed by digest (no tag) and skipped; the tagged index is the one
    // hint.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(hints)
                    .filteredOn(h -> h.repository().equals(repository))
                    .singleElement()
                    .satisfies(
                        h -> {
                          assertThat(h.tag()).isEqualTo("v1");
                          assertThat(h.digest()).contains(pushed.digest());
                        }));
    coalescer.close();
  }
}
