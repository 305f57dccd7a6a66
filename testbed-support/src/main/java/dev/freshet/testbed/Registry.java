package dev.freshet.testbed;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * One of the testbed's registries (CNCF distribution on loopback, plain HTTP).
 *
 * @param host {@code 127.0.0.1:port}
 * @param username set for the htpasswd registry
 * @param password set for the htpasswd registry
 */
public record Registry(String host, Optional<String> username, Optional<String> password) {

  /** A pusher that writes new images into this registry with this registry's credentials. */
  public ImagePusher pusher() {
    return new ImagePusher(this);
  }

  /**
   * A {@code kubernetes.io/dockerconfigjson} pull secret named {@code name} holding this registry's
   * credentials, as a workload's {@code imagePullSecrets} would name it.
   */
  public Secret pullSecret(String name) {
    String login =
        username().orElseThrow(() -> new IllegalStateException(host + " needs no credentials"))
            + ":"
            + password().orElse("");
    String auth = Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8));
    String config = "{\"auths\":{\"" + host + "\":{\"auth\":\"" + auth + "\"}}}";
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withType("kubernetes.io/dockerconfigjson")
        .addToData(
            ".dockerconfigjson",
            Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  /** The registry API's base URL, {@code http://host/v2/}. */
  public String apiBase() {
    return "http://" + host + "/v2/";
  }
}
