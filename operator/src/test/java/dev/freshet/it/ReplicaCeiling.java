package dev.freshet.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;

/**
 * A ValidatingAdmissionPolicy, bound to one namespace, that refuses any Deployment asking for more
 * than a given number of replicas: a way to make the API server refuse a write the operator makes,
 * so one reconcile fails, and to end the failure by closing it.
 */
public final class ReplicaCeiling implements AutoCloseable {
  private final KubernetesClient admin;
  private final String namespace;
  private final String name;
  private final int max;

  private ReplicaCeiling(KubernetesClient admin, String namespace, int max) {
    this.admin = admin;
    this.namespace = namespace;
    this.name = "replica-ceiling-" + namespace;
    this.max = max;
  }

  /**
   * Installs the policy and its binding (both cluster-scoped, named after the namespace) and waits
   * until the API server enforces them.
   */
  public static ReplicaCeiling install(KubernetesClient admin, String namespace, int max) {
    var ceiling = new ReplicaCeiling(admin, namespace, max);
    admin.resource(ceiling.policy()).create();
    admin.resource(ceiling.binding()).create();
    await("the replica ceiling in " + namespace + " to be enforced")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !ceiling.admits(max + 1));
    return ceiling;
  }

  /** The text the API server's refusal carries. */
  public String message() {
    return "no more than " + max + " replicas in " + namespace;
  }

  /**
   * Removes the policy and its binding and waits until a Deployment above the ceiling is admitted.
   */
  @Override
  public void close() {
    admin.admissionRegistration().v1().validatingAdmissionPolicyBindings().withName(name).delete();
    admin.admissionRegistration().v1().validatingAdmissionPolicies().withName(name).delete();
    await("the replica ceiling in " + namespace + " to be lifted")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> admits(max + 1));
  }

  /** Whether a dry-run create of a Deployment with {@code replicas} replicas passes admission. */
  private boolean admits(int replicas) {
    Deployment probe =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("replica-ceiling-probe")
            .withNamespace(namespace)
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector()
            .addToMatchLabels("probe", "ceiling")
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("probe", "ceiling")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("probe")
            .withImage("probe.invalid/probe:1")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    try {
      admin.apps().deployments().inNamespace(namespace).resource(probe).dryRun().create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getMessage() != null && e.getMessage().contains(message())) {
        return false;
      }
      throw e;
    }
  }

  private ValidatingAdmissionPolicy policy() {
    return new ValidatingAdmissionPolicyBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withFailurePolicy("Fail")
        .withNewMatchConstraints()
        .addNewResourceRule()
        .withApiGroups("apps")
        .withApiVersions("v1")
        .withOperations("CREATE", "UPDATE")
        .withResources("deployments")
        .endResourceRule()
        .endMatchConstraints()
        .addNewValidation()
        .withExpression("object.spec.replicas <= " + max)
        .withMessage(message())
        .endValidation()
        .endSpec()
        .build();
  }

  private ValidatingAdmissionPolicyBinding binding() {
    return new ValidatingAdmissionPolicyBindingBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withPolicyName(name)
        .withValidationActions("Deny")
        .withNewMatchResources()
        .withNewNamespaceSelector()
        .addToMatchLabels("kubernetes.io/metadata.name", namespace)
        .endNamespaceSelector()
        .endMatchResources()
        .endSpec()
        .build();
  }
}
