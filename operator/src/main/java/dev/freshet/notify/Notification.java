package dev.freshet.notify;

import java.time.Instant;
import java.util.Optional;

/**
 * One piece of news, as every target is told it. The fields are documented in
 * docs/notifications.md; the generic webhook sends them as they are.
 *
 * @param kind what happened
 * @param objectKind the kind of the object it happened to: {@code App}, {@code Deployment}…
 * @param namespace the object's namespace
 * @param name the object's name
 * @param container the container whose image it is about, if the Event names one
 * @param image the image as the workload declares it, without digest
 * @param tag the tag followed or chosen
 * @param fromDigest what the workload ran or was pinned to before
 * @param toDigest what it is pinned to now, or will be
 * @param reason the Event's reason ({@code RollingOut}…)
 * @param message the Event's message
 * @param time when Freshet recorded it
 * @param cluster the cluster's name, as the notifications Secret sets it
 * @param sequence this notification's number among those one target received about this object from
 *     this operator process, from 1: a gap means one was dropped or given up on
 * @param stream when the operator process that numbered it started numbering: a restart or a new
 *     leader starts a new stream at 1, and (stream, sequence) orders every notification about an
 *     object
 */
public record Notification(
    NotificationKind kind,
    String objectKind,
    String namespace,
    String name,
    Optional<String> container,
    Optional<String> image,
    Optional<String> tag,
    Optional<String> fromDigest,
    Optional<String> toDigest,
    String reason,
    String message,
    Instant time,
    String cluster,
    long sequence,
    String stream) {

  Notification withSequence(String stream, long number) {
    return new Notification(
        kind,
        objectKind,
        namespace,
        name,
        container,
        image,
        tag,
        fromDigest,
        toDigest,
        reason,
        message,
        time,
        cluster,
        number,
        stream);
  }

  /** {@code App team-a/web}. */
  String subject() {
    return objectKind + " " + namespace + "/" + name;
  }
}
