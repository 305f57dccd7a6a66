package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.app.api.HistoryEntry;
import dev.freshet.app.api.ImageStatus;
import dev.freshet.poll.ImageWatch;
import dev.freshet.poll.Poller;
import dev.freshet.poll.Resolution;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.auth.Credential;
import dev.freshet.update.Decision;
import dev.freshet.update.Intervals;
import dev.freshet.update.Pin;
import dev.freshet.update.PullSecretCredentials;
import dev.freshet.update.PullSecretRefused;
import dev.freshet.update.SignatureChecks;
import dev.freshet.update.SignatureGate;
import dev.freshet.update.VerifyConfig;
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

  /** The history outcome and condition reason of a digest refused for its signature. */
  static final String SIGNATURE_INVALID = "SignatureInvalid";

  private final Poller poller;
  private final PullSecretCredentials credentials;
  private final SignatureChecks signatures;
  private final SimpleInboundEventSource<App> results =
      new SimpleInboundEventSource<>("app-poll-results");
  private volatile Function<ResourceID, Boolean> appExists = id -> true;

  public AppUpdates(Poller poller, PullSecretCredentials credentials, SignatureChecks signatures) {
    this.poller = poller;
    this.credentials = credentials;
    this.signatures = signatures;
  }

  /**
   * The signature gate for the App's image: open unless {@code spec.update.verify} asks for signed
   * images. Built when the engine first asks, so an App whose image does not change reads no keys.
   */
  SignatureGate gate(App app) {
    Optional<VerifyConfig> config = verifyConfig(app);
    if (config.isEmpty()) {
      return SignatureGate.OPEN;
    }
    return candidate -> {
      ImageReference reference = ImageReference.parse(app.getSpec().getImage());
      return signatures
          .gate(
              app.getMetadata().getNamespace(),
              config,
              reference,
              credentials.find(
                  app.getMetadata().getNamespace(),
                  PodTemplates.of(app, app.getSpec().getImage()).getSpec(),
                  reference.registry()))
          .check(candidate);
    };
  }

  /** {@code spec.update.verify}, if the App asks for signed images. */
  static Optional<VerifyConfig> verifyConfig(App app) {
    var update = app.getSpec().getUpdate();
    if (update == null || update.getVerify() == null) {
      return Optional.empty();
    }
    var verify = update.getVerify();
    return Optional.of(
        new VerifyConfig(Optional.ofNullable(verify.getKeySecret()), verify.getKeyless() != null));
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
    Optional<Credential> credential;
    try {
      credential =
          credentials.find(
              app.getMetadata().getNamespace(),
              PodTemplates.of(app, app.getSpec().getImage()).getSpec(),
              reference.registry());
    } catch (PullSecretRefused refused) {
      // Nothing is checked with a reference Freshet refuses, not even with the credential it had.
      poller.unwatch(subscriber);
      throw refused;
    }
    var watch =
        new ImageWatch(
            reference.registry(),
            reference.repository(),
            reference.tagOrLatest(),
            AppImages.policy(app.getSpec()),
            credential);
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
    } else if (decision instanceof Decision.Untrusted untrusted && untrusted.quarantine()) {
      // No fromDigest: nothing was left behind, the template never carried the refused digest.
      var entry = new HistoryEntry();
      entry.setImage(app.getSpec().getImage());
      entry.setToDigest(untrusted.candidate().digest());
      entry.setTag(untrusted.candidate().tag());
      entry.setStartedAt(AppImages.seconds(now));
      entry.setFinishedAt(AppImages.seconds(now));
      entry.setOutcome(SIGNATURE_INVALID);
      entry.setMessage(untrusted.why());
      history.add(0, entry);
    } else if (decision instanceof Decision.RollBack rollBack && rollBack.asked()) {
      if (lastInProgress) {
        last.setOutcome("Superseded");
        last.setFinishedAt(AppImages.seconds(now));
      }
      var entry = new HistoryEntry();
      entry.setImage(app.getSpec().getImage());
      entry.setFromDigest(rollBack.failed().digest());
      entry.setToDigest(rollBack.target().get().digest());
      entry.setTag(rollBack.target().get().tag());
      entry.setStartedAt(AppImages.seconds(now));
      entry.setOutcome("Progressing");
      entry.setCause(HistoryEntry.ROLLBACK);
      entry.setMessage("rolled back by a person; " + rollBack.failed().digest() + " quarantined");
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

  /** The digest the newest history entry is rolling to, if that rollout is in progress. */
  static Optional<String> inProgress(List<HistoryEntry> history) {
    return history == null
            || history.isEmpty()
            || !"Progressing".equals(history.get(0).getOutcome())
        ? Optional.empty()
        : Optional.ofNullable(history.get(0).getToDigest());
  }

  /**
   * The rollout that this reconcile saw finish: the newest entry now succeeded, rolling to the
   * digest that was {@link #inProgress} before. Empty on every later reconcile, so a rollout
   * finishes once.
   */
  static Optional<HistoryEntry> justSucceeded(
      Optional<String> inProgressBefore, List<HistoryEntry> after) {
    if (after.isEmpty() || !"Succeeded".equals(after.get(0).getOutcome())) {
      return Optional.empty();
    }
    HistoryEntry now = after.get(0);
    return inProgressBefore.filter(digest -> digest.equals(now.getToDigest())).map(digest -> now);
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
    if (decision instanceof Decision.Wait wait) {
      return AppConditions.condition(
          AppConditions.UP_TO_DATE, false, wait.reason().condition(), wait.why(), generation);
    }
    if (image.getPending() != null) {
      // Kept until the registry answers again: the condition that said why it waits still holds.
      var pending = image.getPending();
      String reason =
          Decision.Wait.Reason.ofWaitingFor(pending.getWaitingFor())
              .map(Decision.Wait.Reason::condition)
              .orElse("Awaiting" + pending.getWaitingFor());
      return previousUpToDate(app)
          .filter(c -> reason.equals(c.getReason()))
          .orElseGet(
              () ->
                  AppConditions.condition(
                      AppConditions.UP_TO_DATE,
                      false,
                      reason,
                      pending.getTag()
                          + "@"
                          + pending.getDigest()
                          + " waits, first seen at "
                          + pending.getSince(),
                      generation));
    }
    String latest = image.getTag() + "@" + image.getLatestDigest();
    if (decision instanceof Decision.Untrusted untrusted) {
      return AppConditions.condition(
          AppConditions.UP_TO_DATE,
          false,
          untrusted.reason(),
          untrusted.candidate()
              + " is not rolled out: "
              + untrusted.why()
              + (untrusted.quarantine() ? "; it is quarantined" : ""),
          generation);
    }
    Optional<HistoryEntry> refused = refusal(app, image.getLatestDigest());
    if (refused.isPresent() && AppImages.isQuarantined(image, image.getLatestDigest())) {
      return AppConditions.condition(
          AppConditions.UP_TO_DATE,
          false,
          SIGNATURE_INVALID,
          latest + " is not rolled out: " + refused.get().getMessage() + "; it is quarantined",
          generation);
    }
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

  /** The history entry that refused {@code digest} for its signature, if it is still kept. */
  private static Optional<HistoryEntry> refusal(App app, String digest) {
    if (app.getStatus() == null || app.getStatus().getHistory() == null) {
      return Optional.empty();
    }
    return app.getStatus().getHistory().stream()
        .filter(e -> SIGNATURE_INVALID.equals(e.getOutcome()) && digest.equals(e.getToDigest()))
        .findFirst();
  }

  private static Optional<Condition> previousUpToDate(App app) {
    return Optional.ofNullable(app.getStatus())
        .map(dev.freshet.app.api.AppStatus::getConditions)
        .flatMap(
            conditions ->
                conditions.stream()
                    .filter(c -> AppConditions.UP_TO_DATE.equals(c.getType()))
                    .findFirst());
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
