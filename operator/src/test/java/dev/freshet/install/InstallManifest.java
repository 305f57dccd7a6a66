package dev.freshet.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** deploy/install.yaml's objects, read the way kubectl reads the file. */
final class InstallManifest {

  static final String NAMESPACE = "freshet-system";
  static final String SERVICE_ACCOUNT = "freshet";

  /** The kinds that make the operator's identity: where it runs, who it is, what it may do. */
  private static final Set<String> IDENTITY =
      Set.of(
          "Namespace",
          "ServiceAccount",
          "ClusterRole",
          "ClusterRoleBinding",
          "Role",
          "RoleBinding");

  private InstallManifest() {}

  static List<HasMetadata> objects(KubernetesClient client) {
    try (InputStream in = Files.newInputStream(Path.of("..", "deploy", "install.yaml"))) {
      return client.load(in).items();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The operator's Deployment, whose pod template says how the operator runs. */
  static Deployment deployment(KubernetesClient client) {
    return objects(client).stream()
        .filter(Deployment.class::isInstance)
        .map(Deployment.class::cast)
        .findFirst()
        .orElseThrow();
  }

  /** The named object of {@code kind}, as the manifest has it. */
  static <T extends HasMetadata> T object(KubernetesClient client, Class<T> kind, String name) {
    return objects(client).stream()
        .filter(kind::isInstance)
        .map(kind::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + kind.getSimpleName() + " " + name));
  }

  /**
   * Applies the manifest's Namespace, ServiceAccount and RBAC, as they are checked in (server-side,
   * taking over fields another test's apply may hold). The CRD and the Deployment are left out: the
   * tests install the generated CRD themselves, and the operator runs as processes here.
   */
  static void applyIdentity(KubernetesClient admin) {
    for (HasMetadata object : objects(admin)) {
      if (IDENTITY.contains(object.getKind())) {
        admin.resource(object).forceConflicts().serverSideApply();
      }
    }
  }

  /** A token of the service account, as the kubelet requests one for a projected volume. */
  static String token(KubernetesClient admin, String serviceAccount) {
    return admin
        .serviceAccounts()
        .inNamespace(NAMESPACE)
        .withName(serviceAccount)
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }
}
