package dev.freshet.registry;

/** The registry refused our credentials, or wants some and we have none. */
public final class UnauthorizedException extends RegistryException {
  public UnauthorizedException(String registry, String message) {
    this(registry, message, null);
  }

  public UnauthorizedException(String registry, String message, Throwable cause) {
    super(registry, message, cause);
  }

  @Override
  public String reason() {
    return "Unauthorized";
  }

  @Override
  public boolean isTransient() {
    return false;
  }
}
