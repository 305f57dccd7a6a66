package dev.freshet.registry;

/**
 * Why a registry call failed, typed so the operator can put it into a condition: {@link #reason()}
 * is a Kubernetes-style CamelCase reason and the message says what happened, naming the registry.
 */
public abstract sealed class RegistryException extends RuntimeException
    permits UnauthorizedException,
        NotFoundException,
        RateLimitedException,
        UnreachableException,
        InvalidResponseException {
  private final String registry;

  protected RegistryException(String registry, String message, Throwable cause) {
    super(message, cause);
    this.registry = registry;
  }

  /** The registry host the call went to, as written in references (e.g. {@code docker.io}). */
  public String registry() {
    return registry;
  }

  /** A condition reason: {@code Unauthorized}, {@code NotFound}, {@code RateLimited}, … */
  public abstract String reason();

  /**
   * Whether trying again later, unchanged, may succeed (false: the spec or a secret must change).
   */
  public abstract boolean isTransient();
}
