package dev.freshet.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Slack incoming-webhook message: {@code text} (the notification's fallback, and all that
 * Slack-compatible servers such as Mattermost or Rocket.Chat need) plus Block Kit {@code blocks}: a
 * section with the title and message, a section of labelled fields, and a context line.
 *
 * <p>Block Kit's limits are kept: a section's text at most 3,000 characters, at most 10 fields of
 * at most 2,000 each; {@code &}, {@code <} and {@code >} are escaped as Slack's mrkdwn requires.
 */
public final class SlackFormat implements Format {
  static final int MAX_SECTION_TEXT = 3000;
  static final int MAX_FIELDS = 10;
  static final int MAX_FIELD_TEXT = 2000;

  @Override
  public byte[] body(Notification n) {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("text", escape(Format.title(n) + ": " + n.message()));
    List<Object> blocks = new ArrayList<>();
    blocks.add(
        Map.of(
            "type",
            "section",
            "text",
            mrkdwn(
                clip(
                    "*" + escape(Format.title(n)) + "*\n" + escape(n.message()),
                    MAX_SECTION_TEXT))));
    List<Object> fields = new ArrayList<>();
    Format.facts(n).entrySet().stream()
        .filter(e -> !e.getKey().equals("Cluster") && !e.getKey().equals("Time"))
        .limit(MAX_FIELDS)
        .forEach(
            e ->
                fields.add(
                    mrkdwn(clip("*" + e.getKey() + "*\n" + escape(e.getValue()), MAX_FIELD_TEXT))));
    blocks.add(Map.of("type", "section", "fields", fields));
    String context =
        (n.cluster().isEmpty() ? "" : "cluster " + escape(n.cluster()) + " · ")
            + n.time()
            + " · #"
            + n.sequence();
    blocks.add(Map.of("type", "context", "elements", List.of(mrkdwn(context))));
    message.put("blocks", blocks);
    return Format.json(message);
  }

  private static Map<String, String> mrkdwn(String text) {
    return Map.of("type", "mrkdwn", "text", text);
  }

  /** Slack's three control characters, escaped as its message formatting documentation says. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
