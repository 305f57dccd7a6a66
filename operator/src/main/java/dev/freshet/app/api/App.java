package dev.freshet.app.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

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
public class App extends CustomResource<AppSpec, AppStatus> implements Namespaced {
  public static final String GROUP = "freshet.dev";
  public static final String VERSION = "v1alpha1";
}
