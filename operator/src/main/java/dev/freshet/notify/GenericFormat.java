package dev.freshet.notify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The generic webhook's JSON: every field of the {@link Notification}, always present ({@code null}
 * when unknown), so a receiver can rely on the shape. The body is signed as Freshet's inbound
 * generic webhook is (see {@link Target}).
 */
public final class GenericFormat implements Format {

  @Override
  public byte[] body(Notification n) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", n.kind().id());
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("kind", n.objectKind());
    object.put("namespace", n.namespace());
    object.put("name", n.name());
    body.put("object", object);
    body.put("container", n.container().orElse(null));
    body.put("image", n.image().orElse(null));
    body.put("tag", n.tag().orElse(null));
    body.put("fromDigest", n.fromDigest().orElse(null));
    body.put("toDigest", n.toDigest().orElse(null));
    body.put("reason", n.reason());
    body.put("message", n.message());
    body.put("time", n.time().toString());
    body.put("cluster", n.cluster());
    body.put("sequence", n.sequence());
    body.put("stream", n.stream());
    return Format.json(body);
  }
}
