package dev.freshet.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each target gets the shape its documentation asks for: a Slack incoming-webhook message with
 * {@code text} and Block Kit blocks within Slack's limits; a Teams Workflows message carrying one
 * Adaptive Card 1.4; the generic webhook's fixed set of fields.
 */
class FormatsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Notification notification(String message) {
    return new Notification(
        NotificationKind.SUCCEEDED,
        "App",
        "team-a",
        "web",
        Optional.of("app"),
        Optional.of("registry.example/web:dev"),
        Optional.of("dev"),
        Optional.of("sha256:" + "a".repeat(64)),
        Optional.of("sha256:" + "b".repeat(64)),
        "RolledOut",
        message,
        Instant.parse("2026-12-01T10:15:30.123Z"),
        "prod",
        7,
        "2026-12-01T09:00:00Z");
  }

  private static JsonNode read(byte[] body) throws Exception {
    return JSON.readTree(body);
  }

  @Test
  void slackGetsFallbackTextAndBlocksWithinBlockKitLimits() throws Exception {
    JsonNode message = read(new SlackFormat().body(notification("every replica runs <it> & more")));

    // https://api.slack.com/messaging/webhooks: text is required as the fallback when blocks are
    // sent; &, < and > must be escaped in both.
    assertThat(message.get("text").asText())
        .isEqualTo(
            "[prod] Rollout succeeded: App team-a/web: every replica runs &lt;it&gt; &amp; more");
    JsonNode blocks = message.get("blocks");
    assertThat(blocks).hasSize(3);
    assertThat(blocks.get(0).get("type").asText()).isEqualTo("section");
    assertThat(blocks.get(0).get("text").get("type").asText()).isEqualTo("mrkdwn");
    assertThat(blocks.get(0).get("text").get("text").asText())
        .startsWith("*[prod] Rollout succeeded: App team-a/web*\n");
    JsonNode fields = blocks.get(1).get("fields");
    assertThat(fields.size()).isBetween(1, SlackFormat.MAX_FIELDS);
    List<String> texts = new ArrayList<>();
    fields.forEach(
        f -> {
          assertThat(f.get("type").asText()).isEqualTo("mrkdwn");
          texts.add(f.get("text").asText());
        });
    assertThat(texts)
        .contains("*Image*\nregistry.example/web:dev", "*To*\nsha256:" + "b".repeat(64));
    assertThat(blocks.get(2).get("type").asText()).isEqualTo("context");
    assertThat(blocks.get(2).get("elements").get(0).get("text").asText())
        .isEqualTo("cluster prod · 2026-12-01T10:15:30.123Z · #7");
  }

  @Test
  void aLongSlackMessageIsCutToTheSectionLimit() throws Exception {
    JsonNode message = read(new SlackFormat().body(notification("x".repeat(5000))));
    assertThat(message.get("blocks").get(0).get("text").get("text").asText())
        .hasSize(SlackFormat.MAX_SECTION_TEXT)
        .endsWith("…");
  }

  @Test
  void teamsGetsAnAdaptiveCardInTheEnvelopeWorkflowsAccepts() throws Exception {
    JsonNode message = read(new TeamsFormat().body(notification("every replica runs it")));

    assertThat(message.get("type").asText()).isEqualTo("message");
    assertThat(message.get("attachments")).hasSize(1);
    JsonNode attachment = message.get("attachments").get(0);
    assertThat(attachment.get("contentType").asText())
        .isEqualTo("application/vnd.microsoft.card.adaptive");
    assertThat(attachment.has("contentUrl")).isTrue();
    assertThat(attachment.get("contentUrl").isNull()).isTrue();
    JsonNode card = attachment.get("content");
    assertThat(card.get("$schema").asText())
        .isEqualTo("http://adaptivecards.io/schemas/adaptive-card.json");
    assertThat(card.get("type").asText()).isEqualTo("AdaptiveCard");
    assertThat(card.get("version").asText()).isEqualTo("1.4");
    JsonNode body = card.get("body");
    assertThat(body.get(0).get("type").asText()).isEqualTo("TextBlock");
    assertThat(body.get(0).get("text").asText())
        .isEqualTo("[prod] Rollout succeeded: App team-a/web");
    assertThat(body.get(1).get("text").asText()).isEqualTo("every replica runs it");
    assertThat(body.get(2).get("type").asText()).isEqualTo("FactSet");
    List<String> facts = new ArrayList<>();
    body.get(2)
        .get("facts")
        .forEach(
            f -> {
              assertThat(f.fieldNames()).toIterable().containsExactlyInAnyOrder("title", "value");
              facts.add(f.get("title").asText() + "=" + f.get("value").asText());
            });
    assertThat(facts)
        .contains(
            "Container=app",
            "Tag=dev",
            "From=sha256:" + "a".repeat(64),
            "Sequence=7",
            "Cluster=prod");
  }

  @Test
  void theGenericWebhookCarriesEveryDocumentedFieldAlways() throws Exception {
    JsonNode body = read(new GenericFormat().body(notification("every replica runs it")));
    assertThat(body.fieldNames())
        .toIterable()
        .containsExactly(
            "kind",
            "object",
            "container",
            "image",
            "tag",
            "fromDigest",
            "toDigest",
            "reason",
            "message",
            "time",
            "cluster",
            "sequence",
            "stream");
    assertThat(body.get("kind").asText()).isEqualTo("succeeded");
    assertThat(body.get("time").asText()).isEqualTo("2026-12-01T10:15:30.123Z");
    assertThat(body.get("sequence").asLong()).isEqualTo(7);
    assertThat(body.get("stream").asText()).isEqualTo("2026-12-01T09:00:00Z");

    var bare =
        new Notification(
            NotificationKind.REGISTRY_FAILING,
            "Deployment",
            "team-a",
            "api",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "RegistryUnreachable",
            "connection refused",
            Instant.EPOCH,
            "",
            1,
            "2026-12-01T09:00:00Z");
    JsonNode unknown = read(new GenericFormat().body(bare));
    assertThat(unknown.get("kind").asText()).isEqualTo("registry-failing");
    assertThat(unknown.get("toDigest").isNull()).isTrue();
    assertThat(unknown.get("container").isNull()).isTrue();
  }
}
