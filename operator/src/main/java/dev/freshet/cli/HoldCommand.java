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

/** {@code freshet hold TARGET}: Freshet stops updating the image until {@code freshet resume}. */
@Command(
    name = "hold",
    mixinStandardHelpOptions = true,
    description = "Holds updates of an App or tracked workload until freshet resume.")
public class HoldCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;

  @Mixin TargetParameter target;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(
        TrackedAnnotations.HOLD, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    annotations.put(TrackedAnnotations.RESUME, null);
    return PersonsRequest.annotate(spec, cluster, target.target, "held", annotations);
  }
}
