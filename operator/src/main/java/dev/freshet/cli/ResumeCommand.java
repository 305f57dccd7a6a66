package dev.freshet.cli;

import dev.freshet.tracked.TrackedAnnotations;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code freshet resume TARGET}: ends a hold, whether a person asked for it or Freshet found the
 * image changed by someone else. The image the workload runs becomes Freshet's pin, and the newest
 * digest is rolled out as usual.
 */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = "Resumes updates of a held App or tracked workload.")
public class ResumeCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;

  @Mixin TargetParameter target;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(TrackedAnnotations.HOLD, null);
    annotations.put(
        TrackedAnnotations.RESUME, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    return PersonsRequest.annotate(spec, cluster, target.target, "resumed", annotations);
  }
}
