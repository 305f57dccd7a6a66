package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppStatus;
import dev.freshet.app.api.ImageStatus;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.Apps;
import dev.freshet.poll.PolicySpec;
import dev.freshet.poll.Resolution;
import dev.freshet.update.Decision;
import dev.freshet.update.Pin;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The image block after a registry answer. An answer that only repeats the recorded one leaves the
 * block unchanged for a while, so repeated checks (polls, duplicate webhooks) write nothing.
 */
class AppImagesTest {
  private static final String IMAGE = "registry.example.com/web:dev";
  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final String NEWER = "sha256:" + "b".repeat(64);
  private static final Instant CHECKED = Instant.parse("2026-11-25T08:00:00Z");
  private static final Decision STAY = new Decision.Stay(Optional.of(new Pin("dev", DIGEST)), "");

  @Test
  void theSemverPolicyCarriesWhetherEveryPreReleaseQualifies() {
    App app = Apps.app("web");
    UpdateSpec update = new UpdateSpec();
    update.setPolicy(UpdateSpec.Policy.SEMVER);
    update.setSemver("2.x");
    app.getSpec().setUpdate(update);

    assertThat(AppImages.policy(app.getSpec()))
        .isEqualTo(
            new PolicySpec(
                PolicySpec.Kind.SEMVER, Optional.of("2.x"), Optional.empty(), Optional.empty()));

    update.setIncludePrerelease(true);

    assertThat(AppImages.policy(app.getSpec()).includePrerelease()).isTrue();
  }

  @Test
  void theSameDigestAgainSoonChangesNothing() {
    App app = appWith(recorded(DIGEST, CHECKED));

    ImageStatus next =
        AppImages.next(app, Optional.of(found(DIGEST, CHECKED.plusSeconds(1))), STAY, CHECKED);

    assertThat(StatusComparison.equal(status(app.getStatus().getImage()), status(next))).isTrue();
    assertThat(next.getCheckedAt()).isEqualTo("2026-11-25T08:00:00Z");
  }

  @Test
  void theSameDigestADayLaterChangesNothingEither() {
    App app = appWith(recorded(DIGEST, CHECKED));
    Instant later = CHECKED.plus(java.time.Duration.ofDays(1));

    ImageStatus next = AppImages.next(app, Optional.of(found(DIGEST, later)), STAY, CHECKED);

    // checkedAt is when the recorded answer was given; when the image was last asked is a metric.
    assertThat(StatusComparison.equal(status(app.getStatus().getImage()), status(next))).isTrue();
    assertThat(next.getCheckedAt()).isEqualTo("2026-11-25T08:00:00Z");
  }

  @Test
  void aNewDigestIsRecordedWithItsCheckTime() {
    App app = appWith(recorded(DIGEST, CHECKED));

    ImageStatus next =
        AppImages.next(app, Optional.of(found(NEWER, CHECKED.plusSeconds(1))), STAY, CHECKED);

    assertThat(next.getLatestDigest()).isEqualTo(NEWER);
    assertThat(next.getCheckedAt()).isEqualTo("2026-11-25T08:00:01Z");
  }

  @Test
  void aRefusedHintIsANewAnswerEvenWithTheSameDigest() {
    App app = appWith(recorded(DIGEST, CHECKED));
    var refused =
        new Resolution.Found("dev", DIGEST, List.of(), CHECKED.plusSeconds(1), Optional.of(NEWER));

    ImageStatus next = AppImages.next(app, Optional.of(refused), STAY, CHECKED);

    // The reconciler reports a refused hint when the check time moved.
    assertThat(next.getCheckedAt()).isEqualTo("2026-11-25T08:00:01Z");
    assertThat(next.getLatestDigest()).isEqualTo(DIGEST);
  }

  @Test
  void aFailureIsRecordedEveryTime() {
    App app = appWith(recorded(DIGEST, CHECKED));
    var failed =
        new Resolution.Failed(
            "Unreachable", "connection refused", Optional.empty(), CHECKED.plusSeconds(1));

    ImageStatus next = AppImages.next(app, Optional.of(failed), STAY, CHECKED);

    assertThat(next.getCheckedAt()).isEqualTo("2026-11-25T08:00:01Z");
    assertThat(next.getLatestDigest()).isEqualTo(DIGEST);
  }

  @Test
  void aWaitIsRecordedAsPendingWithWhenTheDigestWasFirstSeen() {
    App app = appWith(recorded(DIGEST, CHECKED));

    ImageStatus next =
        AppImages.next(app, Optional.of(found(NEWER, CHECKED)), waitFor(NEWER), CHECKED);

    assertThat(next.getPending())
        .satisfies(
            p -> {
              assertThat(p.getDigest()).isEqualTo(NEWER);
              assertThat(p.getTag()).isEqualTo("dev");
              assertThat(p.getSince()).isEqualTo("2026-11-25T08:00:00Z");
              assertThat(p.getWaitingFor()).isEqualTo("Approval");
            });
  }

  @Test
  void whatWaitsStillWaitsUntilTheRegistryAnswersAgain() {
    ImageStatus waiting = recorded(DIGEST, CHECKED);
    waiting.setPending(AppWaits.pendingOf(waitFor(NEWER)));
    App app = appWith(waiting);

    ImageStatus noAnswer = AppImages.next(app, Optional.empty(), STAY, CHECKED.plusSeconds(5));
    ImageStatus answered =
        AppImages.next(app, Optional.of(found(DIGEST, CHECKED.plusSeconds(5))), STAY, CHECKED);

    assertThat(noAnswer.getPending()).isNotNull();
    assertThat(noAnswer.getPending().getSince()).isEqualTo("2026-11-25T08:00:00Z");
    assertThat(answered.getPending()).isNull();
  }

  private static Decision waitFor(String digest) {
    return new Decision.Wait(
        new Pin("dev", digest),
        Optional.of(new Pin("dev", DIGEST)),
        Decision.Wait.Reason.APPROVAL,
        CHECKED,
        Optional.empty(),
        "waits for approval");
  }

  private static Resolution.Found found(String digest, Instant at) {
    return new Resolution.Found("dev", digest, List.of(), at);
  }

  private static ImageStatus recorded(String digest, Instant checked) {
    var image = new ImageStatus();
    image.setResolvedFor(IMAGE);
    image.setTag("dev");
    image.setLatestDigest(digest);
    image.setRunningDigest(digest);
    image.setPinnedTag("dev");
    image.setPinnedDigest(digest);
    image.setCheckedAt(AppImages.seconds(checked));
    return image;
  }

  private static App appWith(ImageStatus image) {
    App app = Apps.app("web");
    app.getSpec().setImage(IMAGE);
    var status = new AppStatus();
    status.setImage(image);
    app.setStatus(status);
    return app;
  }

  private static AppStatus status(ImageStatus image) {
    var status = new AppStatus();
    status.setImage(image);
    return status;
  }
}
