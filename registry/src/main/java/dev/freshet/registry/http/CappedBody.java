package dev.freshet.registry.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a limit, so a registry cannot make us buffer without bound. Past
 * the limit it either fails ({@link TooLarge}: a manifest that big is not to be trusted) or keeps
 * the start and stops reading (an error page: its start says enough).
 */
final class CappedBody implements BodySubscriber<byte[]> {
  /** The body passed the limit where that is an error. */
  static final class TooLarge extends RuntimeException {
    TooLarge(String message) {
      super(message, null, false, false);
    }
  }

  private final int limit;
  private final boolean truncate;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  private CappedBody(int limit, boolean truncate) {
    this.limit = limit;
    this.truncate = truncate;
  }

  /** Successful answers must fit; error answers are cut to the limit. */
  static HttpResponse.BodyHandler<byte[]> handler(int successLimit, int errorLimit) {
    return info -> {
      boolean success = info.statusCode() >= 200 && info.statusCode() < 300;
      int limit = success ? successLimit : errorLimit;
      long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (success && declared > limit) {
        CappedBody refused = new CappedBody(limit, false);
        refused.result.completeExceptionally(new TooLarge(declared + " bytes declared"));
        return refused;
      }
      return new CappedBody(limit, !success);
    };
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (result.isDone()) {
      s.cancel();
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      int room = limit - out.size();
      if (buffer.remaining() > room) {
        subscription.cancel();
        if (truncate) {
          byte[] start = new byte[room];
          buffer.get(start);
          out.write(start, 0, room);
          result.complete(out.toByteArray());
        } else {
          result.completeExceptionally(new TooLarge("more than " + limit + " bytes"));
        }
        return;
      }
      byte[] chunk = new byte[buffer.remaining()];
      buffer.get(chunk);
      out.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(out.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
