package dev.freshet.app;

import dev.freshet.app.api.App;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/** Whether an existing object is the App's to change. Freshet never takes over anything else. */
public final class Ownership {

  private static final String APP_GROUP = HasMetadata.getGroup(App.class);

  private Ownership() {}

  public static boolean isOwnedBy(HasMetadata object, App app) {
    var references = object.getMetadata().getOwnerReferences();
    return references != null
        && references.stream()
            .anyMatch(ref -> Objects.equals(ref.getUid(), app.getMetadata().getUid()));
  }

  /** Whether some App owns {@code object}; {@link #isOwnedBy} tells whether it is this one. */
  public static boolean isOwnedByAnApp(HasMetadata object) {
    var references = object.getMetadata().getOwnerReferences();
    return references != null
        && references.stream()
            .anyMatch(
                ref ->
                    "App".equals(ref.getKind())
                        && ref.getApiVersion() != null
                        && ref.getApiVersion().startsWith(APP_GROUP + "/"));
  }

  /** The message for an object that blocks the App, naming it and saying how to unblock. */
  public static String blockedMessage(String kind, HasMetadata object) {
    return "%s %s/%s already exists and is not owned by this App; Freshet leaves it untouched."
            .formatted(kind, object.getMetadata().getNamespace(), object.getMetadata().getName())
        + " Delete or rename it, or rename the App.";
  }
}
