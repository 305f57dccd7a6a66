package dev.freshet.tracked;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.util.List;
import java.util.function.Function;

/**
 * What the tracked-workload controller needs to know of each kind it follows: where the pod
 * template is, as an object and as the field path an image-only apply must write to. Whether its
 * rollout is done is {@link dev.freshet.update.RolloutState}'s to say.
 *
 * @param templatePath the fields from the object's root to its pod template
 */
public record WorkloadKind<W extends HasMetadata>(
    Class<W> type, Function<W, PodTemplateSpec> template, List<String> templatePath) {

  private static final List<String> SPEC_TEMPLATE = List.of("spec", "template");

  public static final WorkloadKind<Deployment> DEPLOYMENT =
      new WorkloadKind<>(Deployment.class, d -> d.getSpec().getTemplate(), SPEC_TEMPLATE);

  public static final WorkloadKind<StatefulSet> STATEFUL_SET =
      new WorkloadKind<>(StatefulSet.class, s -> s.getSpec().getTemplate(), SPEC_TEMPLATE);

  public static final WorkloadKind<DaemonSet> DAEMON_SET =
      new WorkloadKind<>(DaemonSet.class, d -> d.getSpec().getTemplate(), SPEC_TEMPLATE);

  /** Each Job a CronJob starts is made from the pod template inside its job template. */
  public static final WorkloadKind<CronJob> CRON_JOB =
      new WorkloadKind<>(
          CronJob.class,
          c -> c.getSpec().getJobTemplate().getSpec().getTemplate(),
          List.of("spec", "jobTemplate", "spec", "template"));

  /** Every kind Freshet follows: one tracked controller each. */
  public static final List<WorkloadKind<?>> ALL =
      List.of(DEPLOYMENT, STATEFUL_SET, DAEMON_SET, CRON_JOB);

  public WorkloadKind {
    templatePath = List.copyOf(templatePath);
  }

  public String name() {
    return type.getSimpleName();
  }
}
