package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.update.Custody;
import dev.freshet.update.Pin;
import java.util.Map;
import java.util.Optional;

/**
 * A person's hold of an App and what they asked of its image, from its annotations. The App's
 * workload is re-applied from the App, so nobody else changes its image: a hold is only what a
 * person asks for.
 */
final class AppCustody {
  private AppCustody() {}

  static Custody of(App app) {
    Map<String, String> annotations = annotations(app);
    Optional<String> held =
        Optional.ofNullable(annotations.get(Custody.HOLD_ANNOTATION))
            .map(
                since ->
                    "held by a person ("
                        + Custody.HOLD_ANNOTATION
                        + ": "
                        + since
                        + "); freshet resume lets Freshet update it again");
    Optional<Pin> rollbackTo =
        Optional.ofNullable(annotations.get(Custody.ROLLBACK_ANNOTATION)).flatMap(Pin::parse);
    return new Custody(held, annotations.containsKey(Custody.RESUME_ANNOTATION), false)
        .asking(rollbackTo, Custody.released(annotations.get(Custody.UNQUARANTINE_ANNOTATION)));
  }

  /**
   * The rollback annotation's value when it names no pin ({@code tag@digest}): a request that is
   * refused and consumed, never left lying unread.
   */
  static Optional<String> unreadableRollback(App app) {
    String value = annotations(app).get(Custody.ROLLBACK_ANNOTATION);
    return value != null && Pin.parse(value).isEmpty() ? Optional.of(value) : Optional.empty();
  }

  private static Map<String, String> annotations(App app) {
    return Optional.ofNullable(app.getMetadata().getAnnotations()).orElse(Map.of());
  }
}
