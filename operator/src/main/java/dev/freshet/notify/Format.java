package dev.freshet.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** How a notification is written for one kind of target: the JSON body of its POST. */
public sealed interface Format permits SlackFormat, TeamsFormat, GenericFormat {

  ObjectMapper JSON = new ObjectMapper();

  byte[] body(Notification notification);

  /** The JSON bytes of a tree of maps, lists and strings. */
  static byte[] json(Object tree) {
    try {
      return JSON.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps of strings always serialize", e);
    }
  }

  /** The title line of a chat message: {@code [prod] Rollout succeeded: App team-a/web}. */
  static String title(Notification n) {
    String cluster = n.cluster().isEmpty() ? "" : "[" + n.cluster() + "] ";
    return cluster + n.kind().headline() + ": " + n.subject();
  }

  /**
   * The fields a person reads in a chat message, labelled, in a fixed order, without the empty
   * ones.
   */
  static Map<String, String> facts(Notification n) {
    Map<String, String> facts = new LinkedHashMap<>();
    n.container().ifPresent(c -> facts.put("Container", c));
    n.image().ifPresent(i -> facts.put("Image", i));
    n.tag().ifPresent(t -> facts.put("Tag", t));
    n.fromDigest().ifPresent(d -> facts.put("From", d));
    n.toDigest().ifPresent(d -> facts.put("To", d));
    facts.put("Reason", n.reason());
    if (!n.cluster().isEmpty()) {
      facts.put("Cluster", n.cluster());
    }
    facts.put("Time", n.time().toString());
    return facts;
  }
}
