package dev.freshet.registry.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.freshet.registry.FakeRegistry;
import dev.freshet.registry.FakeRegistry.Reply;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.Priority;
import dev.freshet.registry.RateLimitBudget;
import dev.freshet.registry.RateLimitedException;
import dev.freshet.registry.RegistryListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Per-registry in-flight limit and Docker Hub's published budget. Fake registry: docker-registry
 * 2.8.2 answers too fast to hold requests open on cue, and does not send ratelimit headers.
 */
class PolitenessTest {
  private static final String DIGEST = Manifests.digestOf(Manifests.OCI_MANIFEST);

  @Test
  void neverHasMoreRequestsInFlightToARegistryThanTheLimit() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try (FakeRegistry registry =
        FakeRegistry.start(
            request -> {
              mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              try {
                release.await(30, TimeUnit.SECONDS);
              } finally {
                inFlight.decrementAndGet();
              }
              return Reply.status(200).header("Docker-Content-Digest", DIGEST);
            })) {
      Resolver resolver = Resolver.builder().maxInFlightPerRegistry(2).build();
      List<CompletableFuture<ResolvedImage>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ImageReference ref = ImageReference.parse(registry.host() + "/team/app:v" + i);
        calls.add(
            CompletableFuture.supplyAsync(() -> resolver.resolve(ref, Optional.empty()), callers));
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.get() == 2);
      assertThat(registry.requests()).hasSize(2); // the other four wait on our side
      release.countDown();
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

      assertThat(registry.requests()).hasSize(6);
      assertThat(mostInFlight.get()).isEqualTo(2);
    } finally {
      release.countDown();
      callers.shutdownNow();
    }
  }

  @Test
  void readsDockerHubsBudgetAndHoldsBackBackgroundCallsNearTheEnd() throws Exception {
    List<RateLimitBudget> budgets = new CopyOnWriteArrayList<>();
    try (FakeRegistry registry =
        FakeRegistry.start(
            request ->
                Reply.json(200, "{\"tags\":[\"v1\"]}")
                    .header("Docker-Content-Digest", DIGEST)
                    .header("ratelimit-limit", "100;w=21600")
                    .header("ratelimit-remaining", "3;w=21600"))) {
      Resolver resolver =
          Resolver.builder()
              .budgetReserve(5)
              .listener(
                  new RegistryListener() {
                    @Override
                    public void onRateLimitBudget(String r, RateLimitBudget budget) {
                      budgets.add(budget);
                    }
                  })
              .build();
      ImageReference ref = ImageReference.parse(registry.host() + "/team/app:v1");

      resolver.resolve(ref, Optional.empty());
      assertThat(resolver.rateLimitBudget(registry.host())).contains(budgets.get(0));
      assertThat(budgets)
          .singleElement()
          .satisfies(
              b -> {
                assertThat(b.limit()).isEqualTo(100);
                assertThat(b.remaining()).isEqualTo(3);
                assertThat(b.window()).isEqualTo(Duration.ofHours(6));
              });

      assertThatThrownBy(() -> resolver.listTags(ref, Optional.empty(), Priority.BACKGROUND))
          .isInstanceOfSatisfying(
              RateLimitedException.class,
              e -> assertThat(e.retryAt()).isEqualTo(budgets.get(0).windowEnd()));
      assertThat(registry.requests()).hasSize(1); // the background call never left

      resolver.resolve(ref, Optional.empty()); // essential calls still go
      assertThat(registry.requests()).hasSize(2);
    }
  }

  @Test
  void plainHttpOnlyForLoopbackAndRegistriesConfiguredAsInsecure() {
    Resolver.Builder builder = Resolver.builder().insecureRegistry("registry.lan:5000");
    dev.freshet.registry.http.RegistryTransport transport = builder.build().transport();

    assertThat(transport.apiBase("127.0.0.1:5000")).hasToString("http://127.0.0.1:5000/v2/");
    assertThat(transport.apiBase("localhost:5000")).hasToString("http://localhost:5000/v2/");
    assertThat(transport.apiBase("registry.lan:5000")).hasToString("http://registry.lan:5000/v2/");
    assertThat(transport.apiBase("registry.lan:5001")).hasToString("https://registry.lan:5001/v2/");
    assertThat(transport.apiBase("ghcr.io")).hasToString("https://ghcr.io/v2/");
    assertThat(transport.apiBase("docker.io")).hasToString("https://registry-1.docker.io/v2/");
  }
}
