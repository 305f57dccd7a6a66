package dev.freshet.registry;

/** The repository, tag or manifest does not exist (or is hidden from these credentials). */
public final class NotFoundException extends RegistryException {
  public NotFoundException(String registry, String message) {
    this(registry, message, null);
  }

  public NotFoundException(String registry, String message, Throwable cause) {
    super(registry, message, cause);
  }

  @Override
  public String reason() {
    return "NotFound";
  }

  @Override
  public boolean isTransient() {
    return false;
  }
}
