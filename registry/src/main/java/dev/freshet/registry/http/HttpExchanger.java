package dev.freshet.registry.http;

import dev.freshet.registry.InvalidResponseException;
import dev.freshet.registry.UnreachableException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The HTTP mechanics of one request: headers, the body cap, and one deadline for all of it. */
final class HttpExchanger {
  private static final int ERROR_BODY_LIMIT = 16 * 1024;

  /** A response with its body read. */
  record Exchange(HttpResponse<byte[]> response) {
    int status() {
      return response.statusCode();
    }

    HttpHeaders headers() {
      return response.headers();
    }

    byte[] body() {
      return response.body();
    }
  }

  private final HttpClient http;
  private final Duration requestTimeout;

  HttpExchanger(HttpClient http, Duration requestTimeout) {
    this.http = http;
    this.requestTimeout = requestTimeout;
  }

  /**
   * One HTTP exchange, headers and body within {@code requestTimeout} together: HttpClient's own
   * timeout stops at the headers, and a registry that trickles its body must not hold a poller
   * thread.
   */
  Exchange exchange(RegistryCall call, Optional<String> authorization) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(call.uri())
            .timeout(requestTimeout)
            .method(call.method(), HttpRequest.BodyPublishers.noBody());
    if (!call.accept().isEmpty()) {
      request.header("Accept", String.join(", ", call.accept()));
    }
    authorization.ifPresent(value -> request.header("Authorization", value));
    HttpResponse.BodyHandler<byte[]> body =
        call.method().equals("HEAD")
            ? info -> HttpResponse.BodySubscribers.replacing(new byte[0])
            : CappedBody.handler(call.bodyLimit(), ERROR_BODY_LIMIT);
    CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request.build(), body);
    try {
      HttpResponse<byte[]> response = pending.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Exchange(response);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new HttpTimeoutException(
          call.method() + " " + call.uri() + " timed out after " + requestTimeout);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new UnreachableException(call.registry(), "interrupted while calling " + call.uri(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CappedBody.TooLarge tooLarge) {
        throw tooLarge(call, tooLarge.getMessage());
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause);
    }
  }

  private static InvalidResponseException tooLarge(RegistryCall call, String size) {
    return new InvalidResponseException(
        call.registry(),
        call.method()
            + " "
            + call.uri()
            + " returned "
            + size
            + "; the limit is "
            + call.bodyLimit());
  }
}
