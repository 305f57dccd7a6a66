package dev.freshet.receive;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link ReceiverListener} that counts requests per (source, outcome), for tests and diagnostics.
 */
public final class ReceiverCounters implements ReceiverListener {

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final LongAdder sinkFailures = new LongAdder();

  @Override
  public void requestHandled(String source, Outcome outcome, int status) {
    counts.computeIfAbsent(source + "/" + outcome, k -> new LongAdder()).increment();
  }

  @Override
  public void ignored(String source, Ignored ignored) {
    counts
        .computeIfAbsent(source + "/ignored/" + ignored.reason().label(), k -> new LongAdder())
        .increment();
  }

  /** Events accepted without a hint, per source and reason. */
  public long ignored(String source, IgnoreReason reason) {
    LongAdder adder = counts.get(source + "/ignored/" + reason.label());
    return adder == null ? 0 : adder.sum();
  }

  @Override
  public void refused(String source, RefusalReason reason) {
    counts.computeIfAbsent(source + "/refused/" + reason.label(), k -> new LongAdder()).increment();
  }

  /** Requests refused for a stable reason, per source and reason. */
  public long refusals(String source, RefusalReason reason) {
    LongAdder adder = counts.get(source + "/refused/" + reason.label());
    return adder == null ? 0 : adder.sum();
  }

  @Override
  public void sinkFailed(ImageHint hint, RuntimeException failure) {
    sinkFailures.increment();
  }

  public long count(String source, Outcome outcome) {
    LongAdder adder = counts.get(source + "/" + outcome);
    return adder == null ? 0 : adder.sum();
  }

  public long sinkFailures() {
    return sinkFailures.sum();
  }
}
