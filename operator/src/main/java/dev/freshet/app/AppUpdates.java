package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.app.api.HistoryEntry;
import dev.freshet.app.api.ImageStatus;
import dev.freshet.poll.ImageWatch;
import dev.freshet.poll.Poller;
import dev.freshet.poll.Resolution;
import dev.freshet.registry.ImageReference;
import dev.freshet.update.ImagePins;
import dev.freshet.update.Intervals;
import dev.freshet.update.PullSecretCredentials;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;

/**
 * The App's side of the update engine: subscribes the App's image to the poller (a new answer
 * reconciles the App), and turns answers into the image block, the rollout history and the
 * {@code UpToDate} condition.
 */
public final class AppUpdates {
  static final int HISTORY_LENGTH = 10;

  private final Poller poller;
  private final PullSecretCredentials credentials;
  private final SimpleInboundEventSource<App> results = new SimpleInboundEventSource<>("app-poll-results");
  private volatile Function<ResourceID, Boolean> appExists = id -> true;

  public AppUpdates(Poller poller, PullSecretCredentials credentials) {
    this.poller = poller;
    this.credentials = credentials;
  }

  SimpleInboundEventSource<App> eventSource(IndexedResourceCache<App> apps) {
    // Apps carry no finalizer, so a deleted App's subscription ends at the next answer for it.
    this.appExists = id -> apps.get(id).isPresent();
    return results;
  }

  /** Subscribes (or unsubscribes) the App's image and returns the registry's latest answer. */
  Optional<Resolution> follow(App app) {
    String subscriber = subscriber(app);
    if (!AppImages.follows(app.getSpec()) || app.getMetadata().getDeletionTimestamp() != null) {
      poller.unwatch(subscriber);
      return Optional.empty();
    }
    ImageReference reference = ImageReference.parse(app.getSpec().getImage());
    var watch = new ImageWatch(
        reference.registry(),
        reference.repository(),
        reference.tagOrLatest(),
        AppImages.policy(app.getSpec()),
        credentials.find(
            app.getMetadata().getNamespace(),
            PodTemplates.of(app).getSpec(),
            reference.registry()));
    ResourceID id = ResourceID.fromResource(app);
    poller.watch(subscriber, watch, interval(app), () -> {
      if (appExists.apply(id)) {
        results.propagateEvent(id);
      } else {
        poller.unwatch(subscriber);
      }
    });
    return poller.latest(watch);
  }

  /** The image block once the workload was applied: the running digest follows a finished rollout. */
  static ImageStatus withRunning(App app, ImageStatus image, WorkloadState workload) {
    if (workload != null && workload.isReady()) {
      String wanted = AppImages.wanted(app);
      ImagePins.digest(wanted).ifPresent(digest -> {
        image.setRunningDigest(digest);
        image.setRunningTag(ImageTags.tagOf(wanted));
      });
    }
    return image;
  }

  /** The history with a new entry for a rollout that starts, and the last entry closed when it ends. */
  static List<HistoryEntry> history(
      List<HistoryEntry> before, ImageStatus previous, ImageStatus image, WorkloadState workload, Instant now) {
    List<HistoryEntry> history = new ArrayList<>(before == null ? List.of() : before);
    if (AppImages.startsRollout(previous, image)) {
      var entry = new HistoryEntry();
      entry.setFromDigest(previous == null ? null : previous.getLatestDigest());
      entry.setToDigest(image.getLatestDigest());
      entry.setTag(image.getTag());
      entry.setStartedAt(AppImages.seconds(now));
      entry.setOutcome("Progressing");
      history.add(0, entry);
    } else if (!history.isEmpty() && "Progressing".equals(history.get(0).getOutcome())) {
      HistoryEntry last = history.get(0);
      if (AppImages.isRejected(image, last.getToDigest())) {
        last.setOutcome("RolledBack");
        last.setMessage("did not become available in time; rolled back");
        last.setFinishedAt(AppImages.seconds(now));
      } else if (workload != null && workload.isReady() && last.getToDigest().equals(image.getRunningDigest())) {
        last.setOutcome("Succeeded");
        last.setFinishedAt(AppImages.seconds(now));
      }
    }
    return history.size() > HISTORY_LENGTH ? new ArrayList<>(history.subList(0, HISTORY_LENGTH)) : history;
  }

  /** Whether the App runs the newest image its policy allows, and if not, why. */
  static Condition upToDate(App app, ImageStatus image, Optional<Resolution> resolution, long generation) {
    if (!AppImages.follows(app.getSpec())) {
      return AppConditions.condition(AppConditions.UP_TO_DATE, true, "NotFollowed",
          "the image is not kept fresh: update policy none, or a digest in spec.image", generation);
    }
    if (resolution.isPresent() && resolution.get() instanceof Resolution.Failed failed) {
      return AppConditions.condition(AppConditions.UP_TO_DATE, false, "Registry" + failed.reason(),
          failed.message(), generation);
    }
    if (resolution.isPresent() && resolution.get() instanceof Resolution.NoCandidate none) {
      return AppConditions.condition(AppConditions.UP_TO_DATE, false, "NoCandidate", none.reason(), generation);
    }
    if (image.getLatestDigest() == null) {
      return AppConditions.condition(AppConditions.UP_TO_DATE, false, "Checking",
          "waiting for the registry's answer", generation);
    }
    String latest = image.getTag() + "@" + image.getLatestDigest();
    if (AppImages.isRejected(image, image.getLatestDigest())) {
      return AppConditions.condition(AppConditions.UP_TO_DATE, false, "RolledBack",
          latest + " did not become available in time and was rolled back; running "
              + (image.getRunningDigest() == null ? "the declared image" : image.getRunningDigest()),
          generation);
    }
    if (!image.getLatestDigest().equals(image.getRunningDigest())) {
      return AppConditions.condition(AppConditions.UP_TO_DATE, false, "RollingOut", "rolling out " + latest, generation);
    }
    return AppConditions.condition(AppConditions.UP_TO_DATE, true, "UpToDate", "running " + latest, generation);
  }

  private static Duration interval(App app) {
    var update = app.getSpec().getUpdate();
    return update == null || update.getInterval() == null ? Duration.ofMinutes(5) : Intervals.parse(update.getInterval());
  }

  private static String subscriber(App app) {
    return "App/" + app.getMetadata().getNamespace() + "/" + app.getMetadata().getName();
  }
}
