package dev.freshet.testbed;

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

  /** The registry API's base URL, {@code http://host/v2/}. */
  public String apiBase() {
    return "http://" + host + "/v2/";
  }
}
