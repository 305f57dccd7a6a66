package dev.freshet.notify;

import dev.freshet.observe.EventReason;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a notification tells: the few kinds of news a team wants to hear, each derived from the
 * Events Freshet records. {@link #of} is the one table from Event reasons to kinds; a reason it
 * does not name is not notified.
 */
public enum NotificationKind {
  FOUND("Update found"),
  WAITING("Update waiting"),
  STARTED("Rollout started"),
  SUCCEEDED("Rollout succeeded"),
  ROLLED_BACK("Rolled back"),
  REFUSED("Update refused"),
  HELD("Updates held"),
  REGISTRY_FAILING("Registry failing");

  private final String headline;

  NotificationKind(String headline) {
    this.headline = headline;
  }

  /** The kind as configuration and payloads spell it: {@code found}, {@code rolled-back}… */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** A few words for a chat message's title. */
  public String headline() {
    return headline;
  }

  /** The kind spelled {@code text}, as in {@link #id()}. */
  public static Optional<NotificationKind> parse(String text) {
    String id = text.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst();
  }

  /**
   * The kind of news an Event reason is, if it is news a team hears. The one table: add a reason
   * here when it should be heard.
   */
  public static Optional<NotificationKind> of(EventReason reason) {
    return Optional.ofNullable(
        switch (reason) {
          case UpdateFound -> FOUND;
          case Waiting -> WAITING;
          case RollingOut -> STARTED;
          case RolledOut -> SUCCEEDED;
          case RolledBack -> ROLLED_BACK;
          case SignatureInvalid, VerificationInvalid -> REFUSED;
          case Held -> HELD;
          case RegistryUnauthorized,
              RegistryNotFound,
              RegistryRateLimited,
              RegistryUnreachable,
              RegistryInvalidResponse,
              RegistryFailed ->
              REGISTRY_FAILING;
          default -> null;
        });
  }
}
