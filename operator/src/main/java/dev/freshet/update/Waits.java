package dev.freshet.update;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When a roll forward may happen: the owner's rules (manual approval, maintenance windows, a
 * minimum age) and what the API server holds about them (the pending candidate with the time it was
 * first seen, the digests a person approved or let through a closed window). Approvals and
 * overrides name a digest, so one given for a digest never releases a newer one found later.
 *
 * @param manualApproval each new digest waits until a person approves it
 * @param windows updates roll only while one of these is open; empty means at any time
 * @param minAge how long a digest must have been seen before it rolls
 * @param pending the candidate recorded as waiting, if any
 * @param approved digests a person approved
 * @param windowOverrides digests a person let through while every window is closed
 */
public record Waits(
    boolean manualApproval,
    List<MaintenanceWindow> windows,
    Duration minAge,
    Optional<Pending> pending,
    Set<String> approved,
    Set<String> windowOverrides) {

  /**
   * The annotation, on an App or a tracked workload, naming the digest(s) a person approved,
   * comma-separated; {@code freshet approve} writes it.
   */
  public static final String APPROVE = "freshet.dev/approve";

  /**
   * The annotation naming the digest(s) that may roll while every maintenance window is closed. It
   * names digests rather than saying "true" so an override given for one urgent fix never lets a
   * later, unreviewed digest through.
   */
  public static final String WINDOW_OVERRIDE = "freshet.dev/window-override";

  /** No rule: a new digest rolls as soon as it is found. */
  public static final Waits NONE =
      new Waits(false, List.of(), Duration.ZERO, Optional.empty(), Set.of(), Set.of());

  public Waits {
    windows = List.copyOf(windows);
    approved = Set.copyOf(approved);
    windowOverrides = Set.copyOf(windowOverrides);
  }

  /** Comma-separated digests, as an annotation holds them. */
  public static Set<String> digests(String annotation) {
    if (annotation == null) {
      return Set.of();
    }
    return Arrays.stream(annotation.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Whether {@code candidate} must wait at {@code now} instead of rolling, and why. Approval is
   * asked first because only a person can give it, and the other two only pass time.
   */
  Optional<Decision.Wait> hold(Pin candidate, Optional<Pin> base, Instant now) {
    Instant since =
        pending
            .filter(p -> p.candidate().digest().equals(candidate.digest()))
            .map(Pending::since)
            .orElse(now.truncatedTo(ChronoUnit.SECONDS));
    if (manualApproval && !approved.contains(candidate.digest())) {
      return Optional.of(
          new Decision.Wait(
              candidate,
              base,
              Decision.Wait.Reason.APPROVAL,
              since,
              Optional.empty(),
              candidate
                  + " waits for approval: run freshet approve, or annotate freshet.dev/approve="
                  + candidate.digest()));
    }
    Instant mature = since.plus(minAge);
    if (now.isBefore(mature)) {
      return Optional.of(
          new Decision.Wait(
              candidate,
              base,
              Decision.Wait.Reason.MATURITY,
              since,
              Optional.of(mature),
              candidate + " was first seen at " + since + "; it rolls at " + mature));
    }
    if (!windows.isEmpty()
        && !windowOverrides.contains(candidate.digest())
        && windows.stream().noneMatch(w -> w.isOpen(now))) {
      Optional<Instant> next =
          windows.stream()
              .map(w -> w.nextOpening(now))
              .flatMap(Optional::stream)
              .min(Comparator.naturalOrder());
      return Optional.of(
          new Decision.Wait(
              candidate,
              base,
              Decision.Wait.Reason.WINDOW,
              since,
              next,
              candidate
                  + " waits for a maintenance window: "
                  + next.map(at -> "the next opens at " + at).orElse("no window ever opens again")
                  + " (annotate freshet.dev/window-override="
                  + candidate.digest()
                  + " to roll now)"));
    }
    return Optional.empty();
  }
}
