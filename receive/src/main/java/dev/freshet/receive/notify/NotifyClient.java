package dev.freshet.receive.notify;

import dev.freshet.receive.ImageNames;
import dev.freshet.receive.auth.GenericSignature;
import dev.freshet.receive.auth.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The core of {@code freshet notify}: tells a Freshet receiver that {@code REPO:TAG} was pushed, in
 * the generic form, signed with the shared secret ({@link GenericSignature}) or carrying the CI
 * job's OIDC token as {@code Authorization: Bearer} ({@link CiToken}). Retries briefly on
 * connection errors and 5xx, which are the receiver restarting or a proxy hiccup, and on 429 (too
 * many requests from this address) after the receiver's {@code Retry-After}; any other 4xx is final
 * and reported with the receiver's reason, because resending the same request cannot fix a wrong
 * secret or a bad image name.
 *
 * <p>Each attempt is signed anew with the current time. With the default back-off retries are at
 * least a second apart, so a retry never carries the signature of an attempt that may have arrived
 * (the response lost), which the receiver would refuse as a replay.
 */
public final class NotifyClient {

  /**
   * Three retries within about seven seconds: enough for a receiver restart, short enough for CI.
   */
  public static final List<Duration> DEFAULT_BACKOFF =
      List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));

  private final HttpClient http;
  private final Clock clock;
  private final Duration requestTimeout;
  private final List<Duration> backoff;

  public NotifyClient() {
    this(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
        Clock.systemUTC(),
        Duration.ofSeconds(30),
        DEFAULT_BACKOFF);
  }

  /**
   * @param backoff the pauses before each retry; its length is the number of retries
   */
  public NotifyClient(
      HttpClient http, Clock clock, Duration requestTimeout, List<Duration> backoff) {
    this.http = Objects.requireNonNull(http);
    this.clock = Objects.requireNonNull(clock);
    this.requestTimeout = Objects.requireNonNull(requestTimeout);
    this.backoff = List.copyOf(backoff);
  }

  /**
   * Sends the notification, the way {@code freshet notify --url URL --secret-file FILE --image
   * REPO:TAG [--digest sha256:…]} does.
   *
   * @param image {@code host/repo:tag}; the tag is required, as it is what the App follows
   * @param digest the manifest digest the push reported, if known (the registry still decides)
   * @return the receiver's answer on success (2xx)
   * @throws NotifyException with the status and reason if refused, or when every attempt failed
   */
  public Delivered notify(URI url, Secret secret, String image, Optional<String> digest)
      throws NotifyException, InterruptedException {
    return send(
        url,
        image,
        digest,
        (request, body) -> {
          long now = clock.instant().getEpochSecond();
          request
              .header(GenericSignature.TIMESTAMP_HEADER, Long.toString(now))
              .header(GenericSignature.SIGNATURE_HEADER, GenericSignature.sign(secret, now, body));
        });
  }

  /**
   * Sends the notification with a CI job's OIDC token instead of a shared secret, the way {@code
   * freshet notify --oidc-token-file FILE} and {@code --oidc} do. The receiver decides from the
   * token's claims whether this pipeline may announce the image (403 if not).
   *
   * @param token the JWT, as the CI system issued it
   */
  public Delivered notifyWithToken(URI url, String token, String image, Optional<String> digest)
      throws NotifyException, InterruptedException {
    String jwt = CiToken.check(token);
    return send(
        url, image, digest, (request, body) -> request.header("Authorization", "Bearer " + jwt));
  }

  /** Adds the credentials to one attempt; HMAC signs each attempt anew. */
  private interface Credentials {
    void addTo(HttpRequest.Builder request, byte[] body);
  }

  private Delivered send(URI url, String image, Optional<String> digest, Credentials credentials)
      throws NotifyException, InterruptedException {
    byte[] body = body(image, digest);
    NotifyException last = null;
    Duration retryAfter = Duration.ZERO;
    for (int attempt = 0; attempt <= backoff.size(); attempt++) {
      if (attempt > 0) {
        Thread.sleep(Collections.max(List.of(backoff.get(attempt - 1), retryAfter)).toMillis());
      }
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(url)
              .timeout(requestTimeout)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      credentials.addTo(builder, body);
      HttpRequest request = builder.build();
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        last = new NotifyException(0, "could not reach " + url + ": " + e, attempt + 1);
        continue;
      }
      int status = response.statusCode();
      String reason = response.body().strip();
      if (status >= 200 && status < 300) {
        return new Delivered(status, reason, attempt + 1);
      }
      if (status == 429) {
        // Too many requests from this address: the receiver says when to come back; a pipeline
        // waits that long (at most MAX_RETRY_AFTER), as it would for a receiver restarting.
        retryAfter = retryAfter(response);
        last =
            new NotifyException(
                status, "refused by " + url + ": " + status + " " + reason, attempt + 1);
        continue;
      }
      if (status >= 400 && status < 500) {
        throw new NotifyException(
            status, "refused by " + url + ": " + status + " " + reason, attempt + 1);
      }
      last = new NotifyException(status, url + " answered " + status + " " + reason, attempt + 1);
    }
    throw last;
  }

  /** The longest {@code Retry-After} a notify waits for before its next attempt. */
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

  /** The receiver's {@code Retry-After} in seconds (the form it sends), bounded; else nothing. */
  private static Duration retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .filter(v -> v.matches("\\d{1,9}"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v)))
        .map(d -> d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d)
        .orElse(Duration.ZERO);
  }

  /**
   * The same, with the CLI's arguments as they come: {@code --url}, {@code --secret-file}, {@code
   * --image} and {@code --digest} (null when not given).
   */
  public Delivered notify(String url, Path secretFile, String image, String digestOrNull)
      throws NotifyException, IOException, InterruptedException {
    return notify(
        URI.create(url), readSecret(secretFile), image, Optional.ofNullable(digestOrNull));
  }

  /**
   * Reads a secret file as {@code kubectl create secret --from-file} and CI tools write it: one
   * line.
   */
  public static Secret readSecret(Path file) throws IOException {
    String value = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (value.isEmpty()) {
      throw new IOException("the secret file " + file + " is empty");
    }
    return Secret.of(value);
  }

  /** The generic form's body; validates locally so a typo fails before anything is sent. */
  static byte[] body(String image, Optional<String> digest) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (image.contains("@") || colon <= slash) {
      throw new IllegalArgumentException(
          "the image must be REPO:TAG (e.g. registry.example/app:dev), not " + image);
    }
    String repository = image.substring(0, colon);
    String tag = image.substring(colon + 1);
    ImageNames.split(repository);
    if (!ImageNames.isTag(tag)) {
      throw new IllegalArgumentException("not a valid tag: " + tag);
    }
    digest.ifPresent(
        d -> {
          if (!ImageNames.isDigest(d)) {
            throw new IllegalArgumentException(
                "the digest must be sha256:<64 hex digits>, not " + d);
          }
        });
    StringBuilder json =
        new StringBuilder("{\"image\":\"")
            .append(repository)
            .append("\",\"tag\":\"")
            .append(tag)
            .append('"');
    digest.ifPresent(d -> json.append(",\"digest\":\"").append(d).append('"'));
    // The values were validated against grammars without quotes or backslashes, so no escaping is
    // needed.
    return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A 2xx answer: the receiver's status, its message, and how many attempts it took. */
  public record Delivered(int status, String message, int attempts) {}
}
