package dev.freshet.observe;

/**
 * Every reason Freshet gives in an Event, with its type, so reasons are spelled once and a reader
 * (or an alert rule) can list them all here.
 */
public enum EventReason {
  Created(Type.Normal),
  Updated(Type.Normal),
  Deleted(Type.Normal),
  /**
   * The update engine chose a new digest for a workload's image (recorded once per digest, before
   * its rollout starts).
   */
  UpdateFound(Type.Normal),
  /** A new digest was pinned into the workload: Kubernetes' rolling update takes it from there. */
  RollingOut(Type.Normal),
  /** The rollout of a pinned digest finished: every replica runs it and is ready (once per pin). */
  RolledOut(Type.Normal),
  /**
   * A newer digest waits before it rolls: for an approval, a maintenance window or its minimum age
   * (the message says which). Recorded once per pending digest and reason.
   */
  Waiting(Type.Normal),
  /**
   * A rollout failed its health gate, or a person rolled it back: its digest is quarantined and an
   * earlier one pinned.
   */
  RolledBack(Type.Warning),
  /**
   * A new digest was not rolled out because its cosign signature did not verify (refused and
   * quarantined), or is not there yet.
   */
  SignatureInvalid(Type.Warning),
  /** Signature verification is asked for but cannot work (keyless, a missing or bad key Secret). */
  VerificationInvalid(Type.Warning),
  /**
   * Someone else changed a pinned image (a rollout undo, an edit) or a person asked to hold:
   * Freshet updates nothing until resumed.
   */
  Held(Type.Warning),
  /** A person resumed updates of a held workload. */
  Resumed(Type.Normal),
  /** A person released quarantined digests ({@code freshet unquarantine}): they may roll again. */
  Released(Type.Normal),
  /**
   * A person's {@code freshet rollback} was not carried out (its digest is quarantined, or nothing
   * was pinned to go back from); the message says why.
   */
  RollbackRefused(Type.Warning),
  /** An object Freshet does not own holds the name of one it would create. */
  Blocked(Type.Warning),
  /** A reconcile failed; it is retried, later and later. */
  ReconcileError(Type.Warning),
  /** A webhook named a digest the registry does not serve for that tag. */
  HintRefused(Type.Warning),
  InvalidAnnotation(Type.Warning),
  /**
   * A workload names a pull secret Freshet will not read: in another namespace ({@code
   * namespace/name}), or by something that is not a Secret's name. Nothing is checked or rolled
   * until the reference is fixed.
   */
  PullSecretRefused(Type.Warning),
  /** An App stored under an older, laxer schema that Freshet cannot read: left alone. */
  SpecUnreadable(Type.Warning),
  /** A continuously reconciling controller owns the image field of a tracked workload. */
  OwnershipConflict(Type.Warning),
  RegistryUnauthorized(Type.Warning),
  RegistryNotFound(Type.Warning),
  RegistryRateLimited(Type.Warning),
  RegistryUnreachable(Type.Warning),
  RegistryInvalidResponse(Type.Warning),
  /** A registry failure of a kind not listed above. */
  RegistryFailed(Type.Warning),
  /** The notifications Secret says something Freshet cannot use; the rest of it still works. */
  NotificationsInvalid(Type.Warning);

  /** The two Event types Kubernetes knows. */
  public enum Type {
    Normal,
    Warning
  }

  private final Type type;

  EventReason(Type type) {
    this.type = type;
  }

  public Type type() {
    return type;
  }

  /**
   * The reason for a failed registry check, by the poller's short reason ({@code Unreachable}…).
   */
  public static EventReason registry(String failure) {
    for (EventReason reason : values()) {
      if (reason.name().equals("Registry" + failure)) {
        return reason;
      }
    }
    return RegistryFailed;
  }
}
