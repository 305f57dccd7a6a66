package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.app.api.ImageStatus;
import dev.freshet.app.api.PendingStatus;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.app.api.WindowSpec;
import dev.freshet.update.Decision;
import dev.freshet.update.MaintenanceWindow;
import dev.freshet.update.Pending;
import dev.freshet.update.Pin;
import dev.freshet.update.Waits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The App's side of when updates happen: {@code spec.update}'s approval, windows and minimum age,
 * the pending candidate in {@code status.image.pending}, and the digests a person released with the
 * annotations {@link #APPROVE} and {@link #WINDOW_OVERRIDE}, read as the engine's {@link Waits};
 * and a {@link Decision.Wait} written back as the pending record. Pure.
 */
public final class AppWaits {
  public static final String APPROVE = Waits.APPROVE;
  public static final String WINDOW_OVERRIDE = Waits.WINDOW_OVERRIDE;

  private AppWaits() {}

  /**
   * @throws IllegalArgumentException when a window or the minimum age cannot be read (the schema
   *     checks their shape; a zone that has the shape of one but is unknown gets here)
   */
  static Waits of(App app) {
    UpdateSpec update = app.getSpec().getUpdate();
    if (update == null) {
      return Waits.NONE;
    }
    List<MaintenanceWindow> windows = new ArrayList<>();
    List<WindowSpec> specs = update.getWindows() == null ? List.of() : update.getWindows();
    for (int i = 0; i < specs.size(); i++) {
      WindowSpec spec = specs.get(i);
      try {
        windows.add(
            MaintenanceWindow.parse(spec.getSchedule(), spec.getDuration(), spec.getTimeZone()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("spec.update.windows[" + i + "]: " + e.getMessage(), e);
      }
    }
    Duration minAge;
    try {
      minAge =
          update.getMinAge() == null
              ? Duration.ZERO
              : dev.freshet.update.Intervals.parseMinAge(update.getMinAge());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec.update.minAge: " + e.getMessage(), e);
    }
    Map<String, String> annotations =
        Optional.ofNullable(app.getMetadata().getAnnotations()).orElse(Map.of());
    return new Waits(
        update.getApproval() == UpdateSpec.Approval.Manual,
        windows,
        minAge,
        pending(app),
        Waits.digests(annotations.get(APPROVE)),
        Waits.digests(annotations.get(WINDOW_OVERRIDE)));
  }

  private static Optional<Pending> pending(App app) {
    ImageStatus image = app.getStatus() == null ? null : app.getStatus().getImage();
    PendingStatus pending = image == null ? null : image.getPending();
    if (pending == null
        || pending.getTag() == null
        || pending.getDigest() == null
        || pending.getSince() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Pending(
            new Pin(pending.getTag(), pending.getDigest()), Instant.parse(pending.getSince())));
  }

  /** The pending record for {@code decision}: set while it waits, gone otherwise. */
  static PendingStatus pendingOf(Decision decision) {
    if (!(decision instanceof Decision.Wait wait)) {
      return null;
    }
    var pending = new PendingStatus();
    pending.setTag(wait.candidate().tag());
    pending.setDigest(wait.candidate().digest());
    pending.setSince(AppImages.seconds(wait.since()));
    pending.setWaitingFor(wait.reason().waitingFor());
    if (wait.reason() == Decision.Wait.Reason.WINDOW) {
      pending.setNextWindow(wait.until().map(AppImages::seconds).orElse(null));
    }
    if (wait.reason() == Decision.Wait.Reason.MATURITY) {
      pending.setMatureAt(wait.until().map(AppImages::seconds).orElse(null));
    }
    return pending;
  }
}
