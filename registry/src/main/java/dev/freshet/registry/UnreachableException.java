package dev.freshet.registry;

/** The registry could not be reached, timed out, or kept answering 5xx after our retries. */
public final class UnreachableException extends RegistryException {
  public UnreachableException(String registry, String message) {
    this(registry, message, null);
  }

  public UnreachableException(String registry, String message, Throwable cause) {
    super(registry, message, cause);
  }

  @Override
  public String reason() {
    return "Unreachable";
  }

  @Override
  public boolean isTransient() {
    return true;
  }
}
