package dev.freshet.app;

import dev.freshet.app.api.App;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Hands the image the update engine chose from the reconciler to the workload dependents through
 * JOSDK's context, so the desired workload never reads it back from a status it may not have
 * written yet.
 */
final class ChosenImage {
  private static final String KEY = "freshet.dev/chosen-image";

  private ChosenImage() {}

  static void put(Context<App> context, String image) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, image);
  }

  /**
   * The chosen image. There is no fallback: guessing (the declared tag, say) is how a workload
   * would roll backward.
   */
  static String of(App app, Context<App> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .get(KEY, String.class)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no image was chosen for App " + app.getMetadata().getName()));
  }
}
