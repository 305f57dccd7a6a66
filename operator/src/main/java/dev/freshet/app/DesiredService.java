package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;

/** The Service in front of an App's pods; only asked for when service.type is not None. */
public final class DesiredService {

  private DesiredService() {}

  public static Service of(App app) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(app.getMetadata().getName())
        .withNamespace(app.getMetadata().getNamespace())
        .withLabels(AppLabels.forObjects(app))
        .endMetadata()
        .withNewSpec()
        .withType(app.getSpec().getService().getType().name())
        .withSelector(AppLabels.selector(app))
        .withPorts(ports(app.getSpec().getPorts()))
        .endSpec()
        .build();
  }

  private static List<ServicePort> ports(List<AppPort> ports) {
    return ports.stream()
        .map(
            p ->
                new ServicePortBuilder()
                    .withName(p.getName())
                    .withPort(
                        p.getServicePort() != null ? p.getServicePort() : p.getContainerPort())
                    .withTargetPort(new IntOrString(p.getName()))
                    .withProtocol("TCP")
                    .build())
        .toList();
  }
}
