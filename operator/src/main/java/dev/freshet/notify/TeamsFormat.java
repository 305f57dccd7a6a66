package dev.freshet.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Microsoft Teams message for a Workflows webhook ("Send webhook alerts to a channel", trigger
 * "When a Teams webhook request is received"): a {@code message} whose one attachment is an
 * Adaptive Card 1.4 ({@code application/vnd.microsoft.card.adaptive}) with the title, the message
 * and a FactSet. The legacy Office 365 connector MessageCard is not sent: those connectors are
 * being retired, and Workflows posts Adaptive Cards.
 */
public final class TeamsFormat implements Format {
  static final String CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
  static final String CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
  static final String CARD_VERSION = "1.4";

  @Override
  public byte[] body(Notification n) {
    List<Object> facts = new ArrayList<>();
    Format.facts(n).forEach((title, value) -> facts.add(Map.of("title", title, "value", value)));
    facts.add(Map.of("title", "Sequence", "value", Long.toString(n.sequence())));
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("$schema", CARD_SCHEMA);
    card.put("type", "AdaptiveCard");
    card.put("version", CARD_VERSION);
    card.put(
        "body",
        List.of(
            textBlock(Format.title(n), true),
            textBlock(n.message(), false),
            Map.of("type", "FactSet", "facts", facts)));
    Map<String, Object> attachment = new LinkedHashMap<>();
    attachment.put("contentType", CARD_CONTENT_TYPE);
    attachment.put("contentUrl", null);
    attachment.put("content", card);
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("type", "message");
    message.put("attachments", List.of(attachment));
    return Format.json(message);
  }

  private static Map<String, Object> textBlock(String text, boolean title) {
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("type", "TextBlock");
    block.put("text", text);
    block.put("wrap", true);
    if (title) {
      block.put("weight", "Bolder");
      block.put("size", "Medium");
    }
    return block;
  }
}
