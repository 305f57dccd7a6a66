package dev.freshet.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A container port and the Service port that exposes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppPort {

  /** Kubernetes requires named ports to be IANA service names: at most 15 characters. */
  @Required
  @Size(max = 15)
  @Pattern("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
  private String name;

  @Required
  @Min(1)
  @Max(65535)
  private Integer containerPort;

  /** Defaults to containerPort. */
  @Min(1)
  @Max(65535)
  private Integer servicePort;

  public AppPort() {}

  public AppPort(String name, Integer containerPort, Integer servicePort) {
    this.name = name;
    this.containerPort = containerPort;
    this.servicePort = servicePort;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Integer getContainerPort() {
    return containerPort;
  }

  public void setContainerPort(Integer containerPort) {
    this.containerPort = containerPort;
  }

  public Integer getServicePort() {
    return servicePort;
  }

  public void setServicePort(Integer servicePort) {
    this.servicePort = servicePort;
  }
}
