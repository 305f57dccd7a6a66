package dev.freshet.app.api;

import io.fabric8.generator.annotation.Default;

/** The Service in front of the App's pods. */
public class ServiceSpec {

  /** The constant names are the values users write; None means no Service at all. */
  public enum Type {
    ClusterIP,
    NodePort,
    LoadBalancer,
    None
  }

  @Default("ClusterIP")
  private Type type = Type.ClusterIP;

  public ServiceSpec() {}

  public ServiceSpec(Type type) {
    this.type = type;
  }

  public Type getType() {
    return type;
  }

  public void setType(Type type) {
    this.type = type;
  }
}
