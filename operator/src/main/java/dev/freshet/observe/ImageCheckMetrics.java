package dev.freshet.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When each image was last asked of its registry, as {@code
 * freshet_image_last_checked_timestamp_seconds{image="registry/repository:tag"}}: one series per
 * distinct image, not per workload, since workloads record only answers that changed something. An
 * image no workload follows any more loses its series.
 */
public final class ImageCheckMetrics {
  static final String NAME = "freshet_image_last_checked_timestamp_seconds";

  private final MeterRegistry meters;
  private final Map<String, Tracked> images = new ConcurrentHashMap<>();

  private record Tracked(AtomicLong epochMillis, Gauge gauge) {}

  public ImageCheckMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  public void checked(String image, Instant at) {
    images
        .computeIfAbsent(
            image,
            name -> {
              AtomicLong value = new AtomicLong();
              Gauge gauge =
                  Gauge.builder(NAME, value, v -> v.get() / 1000.0)
                      .description("When Freshet last asked the registry about the image")
                      .tag("image", name)
                      .register(meters);
              return new Tracked(value, gauge);
            })
        .epochMillis()
        .accumulateAndGet(at.toEpochMilli(), Math::max);
  }

  public void forgotten(String image) {
    Tracked tracked = images.remove(image);
    if (tracked != null) {
      meters.remove(tracked.gauge());
    }
  }
}
