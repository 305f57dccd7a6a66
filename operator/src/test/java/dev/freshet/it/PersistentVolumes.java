package dev.freshet.it;

import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The testbed has no storage provisioner, so a claim stays Pending and its pod unscheduled. A test
 * that needs a claim bound creates a PersistentVolume reserved for exactly that claim (claimRef),
 * so concurrent tests never take each other's volumes, and removes it afterwards.
 */
public final class PersistentVolumes implements AutoCloseable {

  private final KubernetesClient client;
  private final List<String> created = new ArrayList<>();

  public PersistentVolumes(KubernetesClient client) {
    this.client = client;
  }

  public void reserveFor(String namespace, String claim, String size) {
    String name = "freshet-it-" + namespace + "-" + claim;
    client
        .persistentVolumes()
        .resource(
            new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withCapacity(java.util.Map.of("storage", new Quantity(size)))
                .withAccessModes("ReadWriteOnce")
                .withPersistentVolumeReclaimPolicy("Retain")
                .withNewHostPath()
                .withPath("/tmp/" + name)
                .endHostPath()
                .withNewClaimRef()
                .withNamespace(namespace)
                .withName(claim)
                .endClaimRef()
                .endSpec()
                .build())
        .create();
    created.add(name);
  }

  @Override
  public void close() {
    created.forEach(name -> client.persistentVolumes().withName(name).delete());
  }
}
