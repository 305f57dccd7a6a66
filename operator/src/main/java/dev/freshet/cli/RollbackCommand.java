package dev.freshet.cli;

import dev.freshet.update.Custody;
import dev.freshet.update.Pin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code freshet rollback TARGET [--to DIGEST]}: goes back to the digest the workload ran before,
 * or to {@code --to}. The digest it rolls away from is quarantined, so the registry's answer does
 * not bring it straight back; a newer push rolls as usual, and {@code freshet unquarantine} lets
 * the quarantined one roll again. The operator carries it out through the update engine, from the
 * annotation {@code freshet.dev/rollback} this writes.
 */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description =
        "Rolls an App or tracked workload back to the digest it ran before (or --to DIGEST) and"
            + " quarantines the one it leaves.")
public class RollbackCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;
  @Mixin TargetParameter target;

  @Option(
      names = "--to",
      converter = DigestConverter.class,
      paramLabel = "DIGEST",
      description = "The digest to go back to (sha256:…); by default the one it ran before.")
  String to;

  @Option(
      names = {"-c", "--container"},
      description = "Only this container of a tracked workload; by default every one it pins.")
  String container;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return PersonsRequest.ask(
        spec,
        cluster,
        target.target,
        object -> {
          RecordedImages recorded = RecordedImages.of(object);
          if (recorded.pinned().isEmpty()) {
            return new PersonsRequest.Answer.Refuse(
                "Freshet pinned no digest yet, so there is nothing to roll back from");
          }
          List<String> containers = containers(recorded);
          if (containers.isEmpty()) {
            return new PersonsRequest.Answer.Refuse(
                container != null
                    ? "Freshet pins no container named " + container
                    : to + " is in no container's history; name one with --container");
          }
          Map<String, Pin> back = new TreeMap<>();
          for (String name : containers) {
            Optional<Pin> pin = to == null ? recorded.previous(name) : recorded.pinFor(name, to);
            String why = refusal(recorded, name, pin);
            if (why != null) {
              return new PersonsRequest.Answer.Refuse(why);
            }
            back.put(name, pin.get());
          }
          String value =
              recorded.app()
                  ? back.get(RecordedImages.APP_CONTAINER).toString()
                  : back.entrySet().stream()
                      .map(e -> e.getKey() + "=" + e.getValue())
                      .collect(Collectors.joining(","));
          String from =
              back.keySet().stream()
                  .map(name -> recorded.pinned().get(name).digest())
                  .collect(Collectors.joining(", "));
          return new PersonsRequest.Answer.Write(
              Map.of(Custody.ROLLBACK_ANNOTATION, value),
              "rolls back to "
                  + back.values().stream().map(Pin::toString).collect(Collectors.joining(", "))
                  + "; "
                  + from
                  + " will be quarantined (freshet unquarantine releases it)");
        });
  }

  /** The containers to roll back: the one named, those whose history has --to, or every one. */
  private List<String> containers(RecordedImages recorded) {
    List<String> all = new ArrayList<>(recorded.pinned().keySet());
    if (container != null) {
      return all.contains(container) ? List.of(container) : List.of();
    }
    if (to != null && all.size() > 1) {
      return all.stream().filter(name -> recorded.ran(name, to)).toList();
    }
    return all;
  }

  /** Why {@code container} cannot go back to {@code pin}, or null when it can. */
  private String refusal(RecordedImages recorded, String container, Optional<Pin> pin) {
    String who = recorded.app() ? "" : container + ": ";
    if (pin.isEmpty()) {
      return who
          + "no earlier digest that is not quarantined is in its history; name one with --to";
    }
    if (pin.get().digest().equals(recorded.pinned().get(container).digest())) {
      return who + "already on " + pin.get();
    }
    if (recorded.quarantined().getOrDefault(container, List.of()).contains(pin.get().digest())) {
      return who
          + pin.get().digest()
          + " is quarantined; release it first with freshet unquarantine";
    }
    return null;
  }
}
