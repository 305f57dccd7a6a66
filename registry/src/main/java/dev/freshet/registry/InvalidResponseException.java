package dev.freshet.registry;

/**
 * The registry answered something we cannot trust or read: a wrong digest, an oversized or
 * malformed body.
 */
public final class InvalidResponseException extends RegistryException {
  public InvalidResponseException(String registry, String message) {
    this(registry, message, null);
  }

  public InvalidResponseException(String registry, String message, Throwable cause) {
    super(registry, message, cause);
  }

  @Override
  public String reason() {
    return "InvalidResponse";
  }

  @Override
  public boolean isTransient() {
    return false;
  }
}
