package dev.freshet.registry.resolve;

import java.util.Locale;
import java.util.Objects;

/** An OS/architecture[/variant] such as {@code linux/amd64} or {@code linux/arm64/v8}. */
public record Platform(String os, String architecture, String variant) {
  public Platform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    variant = variant == null ? "" : variant;
  }

  /** Parses {@code os/arch} or {@code os/arch/variant}. */
  public static Platform parse(String text) {
    String[] parts = text.trim().toLowerCase(Locale.ROOT).split("/", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "platform must be os/arch[/variant], got \"" + text + "\"");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
  }

  /**
   * Whether an image built for this platform runs where {@code wanted} is required. A wanted
   * variant must match exactly; wanting none accepts any variant (as containerd does for a bare
   * {@code linux/arm64}).
   */
  public boolean satisfies(Platform wanted) {
    return os.equals(wanted.os)
        && architecture.equals(wanted.architecture)
        && (wanted.variant.isEmpty() || variant.equals(wanted.variant));
  }

  /** Attestation and other non-runnable index entries say {@code unknown/unknown}. */
  public boolean isUnknown() {
    return os.equals("unknown") || architecture.equals("unknown");
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
