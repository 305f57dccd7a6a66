package dev.freshet.cli;

import picocli.CommandLine.Parameters;

/** The App or tracked workload a person's verb acts on, named as kubectl names it. */
final class TargetParameter {
  @Parameters(
      index = "0",
      paramLabel = "TARGET",
      description = "An App (NAME or app/NAME), or deploy/NAME, sts/NAME, ds/NAME, cronjob/NAME.")
  String target;
}
