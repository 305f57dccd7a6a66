package dev.freshet.cli;

import dev.freshet.app.api.App;
import dev.freshet.tracked.TrackedStatus;
import dev.freshet.update.Waits;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
  @Mixin TargetParameter target;

  @Option(
      names = "--digest",
      converter = DigestConverter.class,
      description = "The digest to approve (sha256:…); by default the one that waits now.")
  String digest;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return PersonsRequest.ask(
        spec,
        cluster,
        target.target,
        object -> {
          Set<String> digests = digest != null ? Set.of(digest) : pending(object);
          if (digests.isEmpty()) {
            return new PersonsRequest.Answer.Refuse(
                "nothing waits for approval; name a digest with --digest to approve it ahead");
          }
          String approval = String.join(",", new TreeSet<>(digests));
          return new PersonsRequest.Answer.Write(
              Map.of(Waits.APPROVE, approval), "approved " + approval);
        });
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
