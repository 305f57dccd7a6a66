package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppStatus;
import dev.freshet.observe.WorkloadStates;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The App's condition types, and how a new set of conditions replaces the previous one. */
public final class AppConditions {

  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";

  /** Reserved for the update engine: whether the App runs the newest image its policy allows. */
  public static final String UP_TO_DATE = "UpToDate";

  private AppConditions() {}

  public static Condition condition(
      String type, boolean status, String reason, String message, long generation) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .build();
  }

  /**
   * Stamps lastTransitionTime: kept from the previous condition of the same type when its status
   * did not change, so an unchanged App yields an identical status and no write.
   */
  public static List<Condition> merge(List<Condition> previous, List<Condition> next, Instant now) {
    var merged = new ArrayList<Condition>(next.size());
    for (var condition : next) {
      var before =
          previous == null
              ? null
              : previous.stream()
                  .filter(p -> Objects.equals(p.getType(), condition.getType()))
                  .findFirst()
                  .orElse(null);
      var stamped = new ConditionBuilder(condition);
      if (before != null
          && Objects.equals(before.getStatus(), condition.getStatus())
          && before.getLastTransitionTime() != null) {
        stamped.withLastTransitionTime(before.getLastTransitionTime());
      } else {
        stamped.withLastTransitionTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
      }
      merged.add(stamped.build());
    }
    return merged;
  }

  /**
   * The App's state as {@code freshet_workloads} counts it, from its {@code UpToDate} condition.
   */
  static String state(App app) {
    var condition =
        app.getStatus() == null || app.getStatus().getConditions() == null
            ? null
            : app.getStatus().getConditions().stream()
                .filter(c -> UP_TO_DATE.equals(c.getType()))
                .findFirst()
                .orElse(null);
    if (condition == null) {
      return WorkloadStates.UNKNOWN;
    }
    String reason = String.valueOf(condition.getReason());
    if ("True".equals(condition.getStatus())) {
      return WorkloadStates.UP_TO_DATE;
    } else if (reason.equals("RollingOut")) {
      return WorkloadStates.ROLLING_OUT;
    } else if (reason.startsWith("Awaiting")) {
      return WorkloadStates.WAITING;
    } else if (reason.equals("Held")) {
      return WorkloadStates.HELD;
    }
    return WorkloadStates.FAILING;
  }

  /** Whether {@code status} has condition {@code type} with {@code reason}. */
  static boolean hasReason(AppStatus status, String type, String reason) {
    return status != null
        && status.getConditions() != null
        && status.getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && reason.equals(c.getReason()));
  }
}
