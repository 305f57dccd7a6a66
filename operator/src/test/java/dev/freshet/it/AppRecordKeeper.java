package dev.freshet.it;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches the Apps of a namespace and reports every status that lost something an earlier one of
 * the same App recorded: a quarantined digest (other than the oldest, when the status keeps as many
 * as it may), a history entry (other than the oldest, when the history is full), the digest it
 * pinned. What Freshet records must survive its own failures, so no status it writes may drop it. A
 * watch answered {@code 410 Gone} starts again from a list.
 */
public final class AppRecordKeeper implements AutoCloseable {

  /** Length at which the operator drops the oldest history entry (AppUpdates.HISTORY_LENGTH). */
  private static final int HISTORY_LENGTH = 10;

  private record Record(Set<String> quarantined, List<String> history, String pinned) {}

  private final KubernetesClient client;
  private final Map<String, Record> last = new HashMap<>();
  private final List<String> losses = new CopyOnWriteArrayList<>();
  private final List<String> watchFailures = new CopyOnWriteArrayList<>();
  private final AtomicInteger statuses = new AtomicInteger();
  private final AtomicInteger expiredWatches = new AtomicInteger();
  private volatile Watch watch;
  private volatile boolean closed;

  private AppRecordKeeper(KubernetesClient client) {
    this.client = client;
  }

  /** Lists the client's namespace's Apps and watches them from then on. */
  public static AppRecordKeeper start(KubernetesClient client) {
    var keeper = new AppRecordKeeper(client);
    keeper.follow();
    return keeper;
  }

  /** Each loss, naming the App, what was lost and the status that lost it. */
  public List<String> losses() {
    return List.copyOf(losses);
  }

  /** How many App states were checked. */
  public int statuses() {
    return statuses.get();
  }

  /** How many times the watch was answered {@code 410 Gone} and started again. */
  public int expiredWatches() {
    return expiredWatches.get();
  }

  /** Why the watch ended, if it did other than with a 410 or {@link #close()}. */
  public List<String> watchFailures() {
    return List.copyOf(watchFailures);
  }

  private void follow() {
    var apps = client.genericKubernetesResources(AppImageRecord.API_VERSION, "App");
    var list = apps.list();
    list.getItems().forEach(this::check);
    watch =
        apps.watch(
            new ListOptionsBuilder()
                .withResourceVersion(list.getMetadata().getResourceVersion())
                .build(),
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, GenericKubernetesResource app) {
                if (action == Action.ADDED || action == Action.MODIFIED) {
                  check(app);
                }
              }

              @Override
              public void onClose(WatcherException cause) {
                if (closed) {
                  return;
                }
                if (cause.isHttpGone()) {
                  expiredWatches.incrementAndGet();
                  resume();
                } else {
                  watchFailures.add("App watch closed: " + cause.getMessage());
                }
              }
            });
  }

  private void resume() {
    var resuming =
        new Thread(
            () -> {
              for (int attempt = 0; !closed; attempt++) {
                try {
                  follow();
                  return;
                } catch (RuntimeException e) {
                  if (attempt == 300) {
                    watchFailures.add("App watch not resumed: " + e.getMessage());
                    return;
                  }
                  try {
                    Thread.sleep(200);
                  } catch (InterruptedException interrupted) {
                    return;
                  }
                }
              }
            },
            "app-watch-resume");
    resuming.setDaemon(true);
    resuming.start();
  }

  private synchronized void check(GenericKubernetesResource app) {
    statuses.incrementAndGet();
    String name = app.getMetadata().getName();
    AppImageRecord image = AppImageRecord.of(app);
    var now =
        new Record(
            new LinkedHashSet<>(image.quarantinedDigests()), history(app), image.pinnedDigest());
    Record before = last.put(name, now);
    if (before == null) {
      return;
    }
    List<String> quarantinedSince = new ArrayList<>(before.quarantined());
    now.quarantined().stream()
        .filter(d -> !quarantinedSince.contains(d))
        .forEach(quarantinedSince::add);
    List<String> kept = AppImageRecord.quarantinesKept(quarantinedSince);
    for (String digest : kept) {
      if (!now.quarantined().contains(digest)) {
        losses.add(name + " lost the quarantine of " + digest + "; now " + now.quarantined());
      }
    }
    List<String> dropped = new ArrayList<>(before.history());
    dropped.removeAll(now.history());
    boolean onlyTheOldest =
        now.history().size() == HISTORY_LENGTH
            && before
                .history()
                .subList(before.history().size() - dropped.size(), before.history().size())
                .equals(dropped);
    if (!dropped.isEmpty() && !onlyTheOldest) {
      losses.add(name + " lost history entries " + dropped + "; now " + now.history());
    }
    if (before.pinned() != null && now.pinned() == null) {
      losses.add(name + " lost its pinned digest " + before.pinned());
    }
  }

  /** Each history entry as "digest since": the same rollout keeps them, whatever its outcome. */
  private static List<String> history(GenericKubernetesResource app) {
    return Optional.ofNullable(app.getAdditionalProperties().get("status"))
        .map(status -> ((Map<?, ?>) status).get("history"))
        .map(history -> (List<?>) history)
        .orElse(List.of())
        .stream()
        .map(entry -> (Map<?, ?>) entry)
        .map(entry -> entry.get("toDigest") + " since " + entry.get("startedAt"))
        .toList();
  }

  @Override
  public void close() {
    closed = true;
    if (watch != null) {
      watch.close();
    }
  }
}
