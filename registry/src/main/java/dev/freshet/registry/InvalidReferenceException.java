package dev.freshet.registry;

/** An image reference, tag or digest that does not follow the distribution reference grammar. */
public final class InvalidReferenceException extends IllegalArgumentException {
  private final String input;

  public InvalidReferenceException(String input, String problem) {
    super("invalid image reference \"" + abbreviate(input) + "\": " + problem);
    this.input = input;
  }

  /** The text that failed to parse, exactly as given. */
  public String input() {
    return input;
  }

  // A fuzzer or a hostile spec can hand us megabytes; the message stays readable.
  private static String abbreviate(String input) {
    return input.length() <= 300 ? input : input.substring(0, 300) + "…";
  }
}
