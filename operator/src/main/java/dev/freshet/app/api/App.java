package dev.freshet.app.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Optional;

/** One application: its image, its workload, its Service and how it follows new images. */
@Group(App.GROUP)
@Version(App.VERSION)
@Kind("App")
@Plural("apps")
@ShortNames("fapp")
@AdditionalPrinterColumn(name = "Image", jsonPath = ".spec.image", type = Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready", type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Up-To-Date",
    jsonPath = ".status.updatedReplicas",
    type = Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Status",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Fresh",
    jsonPath = ".status.conditions[?(@.type==\"UpToDate\")].reason",
    type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Digest",
    jsonPath = ".status.image.runningDigest",
    type = Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@SchemaCustomizer(IntegerFormats.class)
@ValidationRule(
    value =
        "size(self.metadata.name) <= 63"
            + " && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    message =
        "metadata.name must be at most 63 lower-case letters, digits and '-', start with a letter"
            + " and end with a letter or digit (no dots): it names the App's Service and is a"
            + " label value")
public class App extends CustomResource<AppSpec, AppStatus> implements Namespaced {
  public static final String GROUP = "freshet.dev";
  public static final String VERSION = "v1alpha1";

  /**
   * Read tolerantly: a spec the API server stored under an older, laxer schema must not make the
   * whole list of Apps unreadable. It becomes an {@link UnreadableAppSpec} instead.
   */
  @Override
  @JsonDeserialize(using = TolerantSpecDeserializer.class)
  public void setSpec(AppSpec spec) {
    super.setSpec(spec);
  }

  /**
   * Why the stored spec could not be read, if it could not; such an App is reported and skipped.
   */
  public Optional<String> unreadableSpec() {
    return getSpec() instanceof UnreadableAppSpec unreadable
        ? Optional.of(unreadable.reason())
        : Optional.empty();
  }
}
