package dev.freshet.tracked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** What a tracked workload's informer keeps of its pod template: only what the reconciler reads. */
class CachedTemplatesTest {
  private static final String POD_SPEC =
      """
          metadata:
            labels: {app: web}
            annotations: {kubectl.kubernetes.io/restartedAt: "2026-11-30T10:00:00Z"}
          spec:
            serviceAccountName: puller
            imagePullSecrets: [{name: registry-login}]
            initContainers:
            - name: migrate
              image: registry.example/migrate:1
              command: [migrate, up]
            containers:
            - name: app
              image: registry.example/web:1
              env: [{name: LEVEL, value: debug}]
              ports: [{containerPort: 8080}]
              readinessProbe: {httpGet: {path: /ready, port: 8080}}
              resources: {limits: {memory: 128Mi}}
              volumeMounts: [{name: data, mountPath: /data}]
            - name: sidecar
              image: registry.example/proxy:2
            volumes: [{name: data, emptyDir: {}}]
            affinity:
              podAntiAffinity:
                preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 1
                  podAffinityTerm: {topologyKey: kubernetes.io/hostname}
      """;

  @Test
  void aDeploymentKeepsItsContainersImagesAndPullCredentialsOnly() {
    Deployment deployment =
        Serialization.unmarshal(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: ns, annotations: {freshet.dev/policy: digest}}
            spec:
              replicas: 3
              progressDeadlineSeconds: 120
              selector: {matchLabels: {app: web}}
              template:
            """
                + POD_SPEC.indent(4),
            Deployment.class);

    Deployment cached = CachedTemplates.slimmed(WorkloadKind.DEPLOYMENT, deployment);

    var template = cached.getSpec().getTemplate();
    assertThat(template.getMetadata()).isNull();
    assertThat(template.getSpec().getContainers())
        .extracting(Container::getName, Container::getImage)
        .containsExactly(
            tuple("app", "registry.example/web:1"), tuple("sidecar", "registry.example/proxy:2"));
    assertThat(template.getSpec().getInitContainers())
        .extracting(Container::getName, Container::getImage)
        .containsExactly(tuple("migrate", "registry.example/migrate:1"));
    assertThat(template.getSpec().getContainers().get(0).getEnv()).isEmpty();
    assertThat(template.getSpec().getContainers().get(0).getReadinessProbe()).isNull();
    assertThat(template.getSpec().getInitContainers().get(0).getCommand()).isEmpty();
    assertThat(template.getSpec().getVolumes()).isEmpty();
    assertThat(template.getSpec().getAffinity()).isNull();
    assertThat(template.getSpec().getImagePullSecrets())
        .extracting(LocalObjectReference::getName)
        .containsExactly("registry-login");
    assertThat(template.getSpec().getServiceAccountName()).isEqualTo("puller");
    // What the health gate and the rollout's judgement read stays.
    assertThat(cached.getSpec().getReplicas()).isEqualTo(3);
    assertThat(cached.getSpec().getProgressDeadlineSeconds()).isEqualTo(120);
    assertThat(cached.getSpec().getSelector().getMatchLabels()).containsEntry("app", "web");
    assertThat(cached.getMetadata().getAnnotations()).containsEntry("freshet.dev/policy", "digest");
  }

  @Test
  void aCronJobsTemplateIsCutInsideItsJobTemplate() {
    CronJob cronJob =
        Serialization.unmarshal(
            """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: report, namespace: ns}
            spec:
              schedule: "0 * * * *"
              jobTemplate:
                spec:
                  backoffLimit: 2
                  template:
            """
                + POD_SPEC.indent(8),
            CronJob.class);

    CronJob cached = CachedTemplates.slimmed(WorkloadKind.CRON_JOB, cronJob);

    var template = cached.getSpec().getJobTemplate().getSpec().getTemplate();
    assertThat(template.getSpec().getContainers())
        .extracting(Container::getImage)
        .containsExactly("registry.example/web:1", "registry.example/proxy:2");
    assertThat(template.getSpec().getVolumes()).isEmpty();
    assertThat(cached.getSpec().getJobTemplate().getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(cached.getSpec().getSchedule()).isEqualTo("0 * * * *");
  }
}
