package dev.freshet.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** `freshet hold NAME`: Freshet stops updating the workload's image until `freshet resume`. */
@Command(
    name = "hold",
    mixinStandardHelpOptions = true,
    description = "Holds updates of an App or tracked workload until freshet resume.")
public class HoldCommand implements Callable<Integer> {
  @Mixin HoldTarget target;

  @Override
  public Integer call() throws Exception {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(HoldTarget.HOLD, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    annotations.put(HoldTarget.RESUME, null);
    return HoldTarget.run("held", target, annotations);
  }
}
