package dev.freshet.observe;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;

/**
 * Signature lookups as a Prometheus counter, {@code freshet_signature_verifications_total}, by
 * result: {@code verified}, {@code refused}, {@code unsigned}, {@code error}. Cached verdicts are
 * not counted: the counter tells what verification costs the registry and what it found.
 */
public final class SignatureMetrics implements Consumer<String> {
  private final MeterRegistry meters;

  public SignatureMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public void accept(String result) {
    meters.counter("freshet_signature_verifications_total", "result", result).increment();
  }
}
