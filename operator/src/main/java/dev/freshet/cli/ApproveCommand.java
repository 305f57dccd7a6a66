package dev.freshet.cli;

import dev.freshet.app.api.App;
import dev.freshet.tracked.TrackedStatus;
import dev.freshet.update.Waits;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code freshet approve}: releases an update that waits for a person, by writing the annotation
 * {@code freshet.dev/approve} with the digest. The approval names the digest, so it never releases
 * a newer one found later; without {@code --digest} it approves what waits now.
 */
@Command(
    name = "approve",
    mixinStandardHelpOptions = true,
    description = "Approves the update that waits for an App or a tracked workload, so it rolls.")
public class ApproveCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Parameters(
      index = "0",
      paramLabel = "TARGET",
      description = "An App (NAME or app/NAME), or deploy/NAME, sts/NAME, ds/NAME, cronjob/NAME.")
  String target;

  @Option(
      names = "--digest",
      description = "The digest to approve (sha256:…); by default the one that waits now.")
  String digest;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    Target what;
    try {
      what = Target.parse(target);
    } catch (IllegalArgumentException e) {
      err.println("freshet approve: " + e.getMessage());
      return 2;
    }
    if (digest != null && !digest.matches("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}")) {
      err.println(
          "freshet approve: --digest \"" + digest + "\" is not a digest such as sha256:<64 hex>");
      return 2;
    }
    try (KubernetesClient client = cluster.client()) {
      String namespace = cluster.namespace(client);
      var object = what.get(client, namespace);
      if (object.isEmpty()) {
        err.println("freshet approve: " + what + " not found in namespace " + namespace);
        return 1;
      }
      Set<String> digests = digest != null ? Set.of(digest) : pending(object.get());
      if (digests.isEmpty()) {
        err.println(
            "freshet approve: nothing waits for approval on "
                + what
                + " in namespace "
                + namespace
                + "; name a digest with --digest to approve it ahead");
        return 1;
      }
      String approval = String.join(",", new TreeSet<>(digests));
      what.edit(
          client,
          namespace,
          o -> {
            var annotations =
                new HashMap<String, String>(
                    o.getMetadata().getAnnotations() == null
                        ? java.util.Map.of()
                        : o.getMetadata().getAnnotations());
            annotations.put(Waits.APPROVE, approval);
            o.getMetadata().setAnnotations(annotations);
            return o;
          });
      out.println("approved " + approval + " for " + what + " in namespace " + namespace);
      return 0;
    } catch (KubernetesClientException e) {
      err.println("freshet approve: the API server refused: " + e.getMessage());
      return 1;
    }
  }

  /** What waits now: an App's status.image.pending, a tracked workload's pending annotation. */
  private static Set<String> pending(HasMetadata object) {
    if (object instanceof App app) {
      var image = app.getStatus() == null ? null : app.getStatus().getImage();
      var pending = image == null ? null : image.getPending();
      return pending == null || pending.getDigest() == null
          ? Set.of()
          : Set.of(pending.getDigest());
    }
    return TrackedStatus.pendingDigests(object.getMetadata().getAnnotations());
  }
}
