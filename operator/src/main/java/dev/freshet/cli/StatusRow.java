package dev.freshet.cli;

import dev.freshet.app.api.App;
import dev.freshet.app.api.ImageStatus;
import dev.freshet.tracked.TrackedStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Optional;

/**
 * One line of {@code freshet status}: what an App or a tracked workload runs, the newest image its
 * policy allows, and whether Freshet is on its way there or why not, read from the record Freshet
 * keeps in the API server (an App's status, a tracked workload's {@code status.freshet.dev/*}
 * annotations). Digests are whole here; the table shortens them.
 *
 * @param target {@code app/NAME}, {@code deploy/NAME}, {@code sts/NAME}, {@code ds/NAME} or {@code
 *     cronjob/NAME}, as the other verbs take it
 * @param image the image the App declares, or the tag each tracked container follows
 * @param running the digest the pods run (tracked: per container)
 * @param newest the newest digest the registry offers under the policy
 * @param state {@code UpToDate}, or the reason it is not (e.g. {@code Progressing}, {@code
 *     RolledBack}, {@code AwaitingApproval})
 * @param why what Freshet says about it, in words
 * @param lastChange when Freshet last pinned a digest
 */
public record StatusRow(
    String namespace,
    String target,
    String image,
    String running,
    String newest,
    String state,
    String why,
    String lastChange) {

  static final String UP_TO_DATE = "UpToDate";

  static StatusRow of(App app) {
    var status = Optional.ofNullable(app.getStatus());
    ImageStatus image = status.map(s -> s.getImage()).orElse(new ImageStatus());
    Optional<Condition> upToDate =
        status.stream()
            .flatMap(s -> s.getConditions().stream())
            .filter(c -> UP_TO_DATE.equals(c.getType()))
            .findFirst();
    String state =
        upToDate
            .map(c -> "True".equals(c.getStatus()) ? UP_TO_DATE : c.getReason())
            .orElse("Unknown");
    return new StatusRow(
        app.getMetadata().getNamespace(),
        Target.Kind.APP.word() + "/" + app.getMetadata().getName(),
        app.getSpec() == null ? null : app.getSpec().getImage(),
        image.getRunningDigest(),
        image.getLatestDigest(),
        state,
        upToDate.map(Condition::getMessage).orElse(null),
        image.getUpdatedAt());
  }

  static StatusRow of(Target.Kind kind, HasMetadata workload) {
    Map<String, String> status = TrackedStatus.of(workload.getMetadata().getAnnotations());
    String upToDate = status.get(TrackedStatus.UP_TO_DATE);
    String state =
        upToDate == null ? "Unknown" : "True".equals(upToDate) ? UP_TO_DATE : "NotUpToDate";
    return new StatusRow(
        workload.getMetadata().getNamespace(),
        kind.word() + "/" + workload.getMetadata().getName(),
        status.get(TrackedStatus.LATEST_TAG),
        status.get(TrackedStatus.RUNNING_DIGEST),
        status.get(TrackedStatus.LATEST_DIGEST),
        state,
        status.get(TrackedStatus.MESSAGE),
        Optional.ofNullable(workload.getMetadata().getAnnotations())
            .map(a -> a.get(TrackedStatus.UPDATED_AT))
            .orElse(null));
  }
}
