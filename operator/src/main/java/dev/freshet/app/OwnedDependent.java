package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.update.CachedObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
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

  /**
   * Its informer sees every object of its kind in the watched namespaces, since one of another
   * owner may hold the App's name. It caches an App's objects without what no reconciler reads, and
   * anyone else's as a stub: name, namespace, uid and owner references, all an App reads of an
   * object it refuses to touch. Whole, they doubled the cache where Freshet tracks thousands of
   * Deployments and deploys a few Apps: the tracked controllers cache every Deployment as well. A
   * stub shares its empty lists and maps; an App's own object stays as the model made it, since the
   * dependent's server-side apply matcher reads it.
   */
  @Override
  protected InformerEventSourceConfiguration.Builder<R> informerConfigurationBuilder(
      EventSourceContext<App> context) {
    return super.informerConfigurationBuilder(context)
        .withItemStore(new TransformingItemStore<>(this::cached))
        .withInformerListLimit(CachedObjects.LIST_PAGE);
  }

  /** What the informer keeps of {@code object}. */
  R cached(R object) {
    if (Ownership.isOwnedByAnApp(object)) {
      return CachedObjects.pruned(object);
    }
    var metadata = object.getMetadata();
    return CachedObjects.compact(
        withOnly(
            new ObjectMetaBuilder()
                .withName(metadata.getName())
                .withNamespace(metadata.getNamespace())
                .withUid(metadata.getUid())
                .withResourceVersion(metadata.getResourceVersion())
                .withOwnerReferences(metadata.getOwnerReferences())
                .build()));
  }

  /** An object of this kind that carries only {@code metadata}. */
  protected abstract R withOnly(ObjectMeta metadata);

  /** The object of the App's name, whoever owns it, as the informer last saw it. */
  public Optional<R> existing(App app) {
    return eventSource().flatMap(source -> source.get(ResourceID.fromResource(app)));
  }

  public String kind() {
    return HasMetadata.getKind(resourceType());
  }

  /** How Events and logs name the App's object of this kind: "Deployment web". */
  public String label(App app) {
    return kind() + " " + app.getMetadata().getName();
  }

  /** Every owned object is named after its App, so the desired object need not be computed. */
  @Override
  protected ResourceID targetSecondaryResourceID(App app, Context<App> context) {
    return ResourceID.fromResource(app);
  }
}
