package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.app.api.HistoryEntry;
import dev.freshet.app.api.ImageStatus;
import dev.freshet.poll.ImageWatch;
import dev.freshet.poll.Poller;
import dev.freshet.poll.Resolution;
import dev.freshet.registry.ImageReference;
import dev.freshet.update.Decision;
import dev.freshet.update.Intervals;
import dev.freshet.update.Pin;
import dev.freshet.update.PullSecretCredentials;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The App's side of the update engine: subscribes the App's image to the poller (a new answer
 * reconciles the App), and turns decisions into the rollout history and the {@code UpToDate}
 * condition.
 */
public final class AppUpdates {
  static final int HISTORY_LENGTH = 10;

  private final Poller poller;
  private final PullSecretCredentials credentials;
  private final SimpleInboundEventSource<App> results =
      new SimpleInboundEventSource<>("app-poll-results");
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
    var watch =
        new ImageWatch(
            reference.registry(),
            reference.repository(),
            reference.tagOrLatest(),
            AppImages.policy(app.getSpec()),
            credentials.find(
                app.getMetadata().getNamespace(),
                PodTemplates.of(app, app.getSpec().getImage()).getSpec(),
                reference.registry()));
    ResourceID id = ResourceID.fromResource(app);
    poller.watch(
        subscriber,
        watch,
        interval(app),
        () -> {
          if (appExists.apply(id)) {
            results.propagateEvent(id);
          } else {
            poller.unwatch(subscriber);
          }
        });
    return poller.latest(watch);
  }

  /**
   * The history with a new entry for a rollout the decision starts, the last entry marked rolled
   * back when the health gate failed it, and closed when its rollout completed.
   */
  static List<HistoryEntry> history(
      App app, List<HistoryEntry> before, Decision decision, Optional<Pin> completed, Instant now) {
    List<HistoryEntry> history = new ArrayList<>(before == null ? List.of() : before);
    HistoryEntry last = history.isEmpty() ? null : history.get(0);
    boolean lastInProgress = last != null && "Progressing".equals(last.getOutcome());
    if (decision instanceof Decision.RollForward forward) {
      if (lastInProgress) {
        last.setOutcome("Superseded");
        last.setFinishedAt(AppImages.seconds(now));
      }
      var entry = new HistoryEntry();
      entry.setImage(app.getSpec().getImage());
      entry.setFromDigest(forward.from().map(Pin::digest).orElse(null));
      entry.setToDigest(forward.to().digest());
      entry.setTag(forward.to().tag());
      entry.setStartedAt(AppImages.seconds(now));
      entry.setOutcome("Progressing");
      history.add(0, entry);
    } else if (decision instanceof Decision.RollBack rollBack
        && lastInProgress
        && rollBack.failed().digest().equals(last.getToDigest())) {
      last.setOutcome("RolledBack");
      last.setMessage(
          "did not become available in time; "
              + rollBack
                  .to()
                  .map(pin -> "rolled back to " + pin)
                  .orElse("nothing to roll back to"));
      last.setFinishedAt(AppImages.seconds(now));
    } else if (lastInProgress
        && completed.map(pin -> pin.digest().equals(last.getToDigest())).orElse(false)) {
      last.setOutcome("Succeeded");
      last.setFinishedAt(AppImages.seconds(now));
    }
    return history.size() > HISTORY_LENGTH
        ? new ArrayList<>(history.subList(0, HISTORY_LENGTH))
        : history;
  }

  /** Whether the App runs the newest image its policy allows, and if not, why. */
  static Condition upToDate(
      App app,
      ImageStatus image,
      Optional<Resolution> resolution,
      Decision decision,
      long generation) {
    if (!AppImages.follows(app.getSpec())) {
      return AppConditions.condition(
          AppConditions.UP_TO_DATE,
          true,
          "NotFollowed",
          "the image is not kept fresh: update policy none, or a digest in spec.image",
          generation);
    }
    if (decision instanceof Decision.Hold hold) {
      return AppConditions.condition(
          AppConditions.UP_TO_DATE,
          false,
          "Held",
          hold.why()
              + "; the workload runs "
              + hold.target().map(Pin::toString).orElse("the declared image"),
          generation);
    }
    if (resolution.isPresent() && resolution.get() instanceof Resolution.Failed failed) {
      return AppConditions.condition(
          AppConditions.UP_TO_DATE,
          false,
          "Registry" + failed.reason(),
          failed.message(),
          generation);
    }
    if (resolution.isPresent() && resolution.get() instanceof Resolution.NoCandidate none) {
      return AppConditions.condition(
          AppConditions.UP_TO_DATE, false, "NoCandidate", none.reason(), generation);
    }
    if (image.getLatestDigest() == null) {
      return AppConditions.condition(
          AppConditions.UP_TO_DATE,
          false,
          "Checking",
          "waiting for the registry's answer",
          generation);
    }
    String latest = image.getTag() + "@" + image.getLatestDigest();
    if (AppImages.isQuarantined(image, image.getLatestDigest())) {
      return AppConditions.condition(
          AppConditions.UP_TO_DATE,
          false,
          "RolledBack",
          latest
              + " did not become available in time and was rolled back; running "
              + (image.getRunningDigest() == null
                  ? "the declared image"
                  : image.getRunningDigest()),
          generation);
    }
    if (decision instanceof Decision.Stay stay
        && !image.getLatestDigest().equals(image.getPinnedDigest())) {
      return AppConditions.condition(
          AppConditions.UP_TO_DATE, false, "NotRollingBackward", stay.why(), generation);
    }
    if (!image.getLatestDigest().equals(image.getRunningDigest())) {
      return AppConditions.condition(
          AppConditions.UP_TO_DATE, false, "RollingOut", "rolling out " + latest, generation);
    }
    return AppConditions.condition(
        AppConditions.UP_TO_DATE, true, "UpToDate", "running " + latest, generation);
  }

  private static Duration interval(App app) {
    var update = app.getSpec().getUpdate();
    return update == null || update.getInterval() == null
        ? Duration.ofMinutes(5)
        : Intervals.parse(update.getInterval());
  }

  private static String subscriber(App app) {
    return "App/" + app.getMetadata().getNamespace() + "/" + app.getMetadata().getName();
  }
}
