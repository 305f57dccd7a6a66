package dev.freshet.receive.server;

/**
 * The documented paths of the webhook endpoint. Paths ending in {@code /} take a secret token as
 * their last segment ({@code /hooks/dockerhub/<token>}).
 */
public final class Routes {

  public static final String GENERIC = "/hooks/generic";
  public static final String DISTRIBUTION = "/hooks/distribution";
  public static final String DOCKERHUB = "/hooks/dockerhub/";
  public static final String QUAY = "/hooks/quay/";
  public static final String GITHUB = "/hooks/github";
  public static final String HARBOR = "/hooks/harbor";
  public static final String ACR = "/hooks/acr";
  public static final String CLOUDEVENTS = "/hooks/cloudevents";
  public static final String GAR = "/hooks/gar";

  private Routes() {}
}
