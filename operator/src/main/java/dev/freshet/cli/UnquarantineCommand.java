package dev.freshet.cli;

import dev.freshet.update.Custody;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code freshet unquarantine TARGET [DIGEST…]}: releases quarantined digests (every one when none
 * is named), so Freshet may roll them out again, e.g. once what made a rollout fail is fixed. The
 * operator carries it out from the annotation {@code freshet.dev/unquarantine} this writes.
 */
@Command(
    name = "unquarantine",
    mixinStandardHelpOptions = true,
    description =
        "Releases quarantined digests of an App or tracked workload (all when none is named), so"
            + " they may roll out again.")
public class UnquarantineCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;
  @Mixin TargetParameter target;

  @Parameters(
      index = "1..*",
      paramLabel = "DIGEST",
      description = "The digests to release (sha256:…); by default every quarantined one.")
  List<String> digests;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    // Checked here, not by a converter: picocli reports a refused positional as unmatched.
    for (String digest : digests == null ? List.<String>of() : digests) {
      try {
        new DigestConverter().convert(digest);
      } catch (picocli.CommandLine.TypeConversionException e) {
        spec.commandLine()
            .getErr()
            .println("freshet unquarantine: invalid value '" + digest + "': " + e.getMessage());
        return 2;
      }
    }
    return PersonsRequest.ask(
        spec,
        cluster,
        target.target,
        object -> {
          var quarantined = new TreeSet<String>();
          RecordedImages.of(object).quarantined().values().forEach(quarantined::addAll);
          if (quarantined.isEmpty()) {
            return new PersonsRequest.Answer.Refuse("no digest is quarantined");
          }
          if (digests == null || digests.isEmpty()) {
            return new PersonsRequest.Answer.Write(
                Map.of(Custody.UNQUARANTINE_ANNOTATION, Custody.ALL),
                "releases " + String.join(", ", quarantined) + " from quarantine");
          }
          var unknown = new TreeSet<>(digests);
          unknown.removeAll(quarantined);
          if (!unknown.isEmpty()) {
            return new PersonsRequest.Answer.Refuse(
                String.join(", ", unknown)
                    + " is not quarantined; quarantined: "
                    + String.join(", ", quarantined));
          }
          var released = new TreeSet<>(digests);
          return new PersonsRequest.Answer.Write(
              Map.of(Custody.UNQUARANTINE_ANNOTATION, String.join(",", released)),
              "releases " + String.join(", ", released) + " from quarantine");
        });
  }
}
