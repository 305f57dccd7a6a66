package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.update.CachedObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;

/**
 * An object an App owns and keeps as declared: created and updated with server-side apply, owned
 * through an owner reference, so the garbage collector removes it with the App.
 */
public abstract class OwnedDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, App> {

  protected OwnedDependent(Class<R> type) {
    super(type);
  }

  /** Its informer caches each object without what no reconciler reads. */
  @Override
  protected InformerEventSourceConfiguration.Builder<R> informerConfigurationBuilder(
      EventSourceContext<App> context) {
    return super.informerConfigurationBuilder(context).withItemStore(CachedObjects.store());
  }

  /** The object of the App's name, whoever owns it, as the informer last saw it. */
  public Optional<R> existing(App app) {
    return eventSource().flatMap(source -> source.get(ResourceID.fromResource(app)));
  }

  public String kind() {
    return HasMetadata.getKind(resourceType());
  }

  /** Every owned object is named after its App, so the desired object need not be computed. */
  @Override
  protected ResourceID targetSecondaryResourceID(App app, Context<App> context) {
    return ResourceID.fromResource(app);
  }
}
