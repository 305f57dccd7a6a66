package dev.freshet.receive;

/**
 * Text a sender controls (a body's fragment in a parser's message, an image name) on its way into
 * answers and logs: control characters become {@code ?}, so a request can neither forge log lines
 * nor put raw bytes into a response.
 */
public final class SenderText {

  private SenderText() {}

  public static String printable(String text) {
    return text.codePoints()
        .map(c -> c < 0x20 || c == 0x7f ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }
}
