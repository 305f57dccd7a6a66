package dev.freshet.tracked;

import dev.freshet.observe.EventRecorder;
import dev.freshet.observe.WorkloadStates;
import dev.freshet.poll.Poller;
import dev.freshet.update.PullSecretCredentials;
import dev.freshet.update.SignatureChecks;
import dev.freshet.update.StuckPods;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.time.Clock;

/**
 * One concrete reconciler class per kind: JOSDK learns which resource a reconciler serves from the
 * type argument of its class, which a generic class alone does not carry at run time.
 */
final class TrackedReconcilers {
  private TrackedReconcilers() {}

  record Parts(
      Poller poller,
      PullSecretCredentials credentials,
      SignatureChecks signatures,
      TrackedStatusWriter status,
      EventRecorder events,
      StuckPods stuckPods,
      Clock clock,
      WorkloadStates states) {}

  /** The reconciler of {@code kind}, one of {@link WorkloadKind#ALL}. */
  static TrackedWorkloadReconciler<? extends HasMetadata> of(WorkloadKind<?> kind, Parts p) {
    if (kind == WorkloadKind.DEPLOYMENT) {
      return new Deployments(p);
    } else if (kind == WorkloadKind.STATEFUL_SET) {
      return new StatefulSets(p);
    } else if (kind == WorkloadKind.DAEMON_SET) {
      return new DaemonSets(p);
    } else if (kind == WorkloadKind.CRON_JOB) {
      return new CronJobs(p);
    }
    throw new IllegalArgumentException("no tracked reconciler for " + kind.name());
  }

  static final class Deployments extends TrackedWorkloadReconciler<Deployment> {
    Deployments(Parts p) {
      super(WorkloadKind.DEPLOYMENT, p);
    }
  }

  static final class StatefulSets extends TrackedWorkloadReconciler<StatefulSet> {
    StatefulSets(Parts p) {
      super(WorkloadKind.STATEFUL_SET, p);
    }
  }

  static final class DaemonSets extends TrackedWorkloadReconciler<DaemonSet> {
    DaemonSets(Parts p) {
      super(WorkloadKind.DAEMON_SET, p);
    }
  }

  static final class CronJobs extends TrackedWorkloadReconciler<CronJob> {
    CronJobs(Parts p) {
      super(WorkloadKind.CRON_JOB, p);
    }
  }
}
