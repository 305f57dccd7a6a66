package dev.freshet.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * `freshet resume NAME`: ends a hold, whether a person asked for it or Freshet found the image
 * changed by someone else. The image the workload runs becomes Freshet's pin, and the newest digest
 * is rolled out as usual.
 */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = "Resumes updates of a held App or tracked workload.")
public class ResumeCommand implements Callable<Integer> {
  @Mixin HoldTarget target;

  @Override
  public Integer call() throws Exception {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(HoldTarget.HOLD, null);
    annotations.put(HoldTarget.RESUME, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    return HoldTarget.run("resumed", target, annotations);
  }
}
