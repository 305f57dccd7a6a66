package dev.freshet.it;

import dev.freshet.testbed.Testbed;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * A broken release by digest: a kwok Stage, created at run time, under which a pod whose image
 * names {@code digest} runs but never becomes Ready (it looks like CrashLoopBackOff). Under the
 * {@code digest} policy a broken release carries the same tag as a good one, so the testbed's
 * static "crash"-in-the-name Stage cannot tell them apart. The testbed's kwok reads Stages from the
 * API server ({@code --enable-crds Stage} in testbed/up.sh); this one is the static pod-crash Stage
 * with its selector narrowed to the digest and a weight, so kwok picks it over the pod-ready Stage
 * whose selector also matches (kwok chooses among matching Stages by weight, and the stock ones
 * weigh 0).
 */
public final class NeverReady implements AutoCloseable {
  private static final String CRASH_SELECTOR = "contains(\"crash\")";

  private final KubernetesClient client;
  private final GenericKubernetesResource stage;

  private NeverReady(KubernetesClient client, GenericKubernetesResource stage) {
    this.client = client;
    this.stage = stage;
  }

  /** Makes every pod that runs {@code digest} never Ready, until closed. */
  public static NeverReady digest(KubernetesClient client, String digest) {
    String yaml;
    try {
      yaml =
          Files.readString(Testbed.get().checkoutRoot().resolve("testbed/stages/pod-crash.yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!yaml.contains(CRASH_SELECTOR)) {
      throw new IllegalStateException(
          "testbed/stages/pod-crash.yaml no longer selects on " + CRASH_SELECTOR);
    }
    GenericKubernetesResource stage =
        Serialization.unmarshal(
            yaml.replace(CRASH_SELECTOR, "contains(\"" + digest + "\")"),
            GenericKubernetesResource.class);
    stage
        .getMetadata()
        .setName(
            "never-ready-" + digest.substring(digest.indexOf(':') + 1, digest.indexOf(':') + 13));
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) stage.getAdditionalProperties().get("spec");
    spec.put("weight", 1);
    client.resource(stage).create();
    return new NeverReady(client, stage);
  }

  @Override
  public void close() {
    client.resource(stage).withGracePeriod(0).delete();
  }
}
