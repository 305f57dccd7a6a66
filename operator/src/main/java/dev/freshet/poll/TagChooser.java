package dev.freshet.poll;

import dev.freshet.registry.ImageReference;
import dev.freshet.registry.Priority;
import dev.freshet.registry.policy.PatternPolicy;
import dev.freshet.registry.policy.SemverPolicy;
import dev.freshet.registry.policy.TagOrdering;
import dev.freshet.registry.policy.UpdatePolicy;
import dev.freshet.registry.resolve.ImageManifest;
import dev.freshet.registry.resolve.Platform;
import dev.freshet.registry.resolve.ResolvedImage;
import dev.freshet.registry.resolve.Resolver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Picks the tag a semver or pattern policy moves to, best candidate first, skipping any whose image
 * has no manifest for the platform the workload runs on: moving to it would leave pods unable to
 * start. Skips are reported in the result. With no usable candidate the current tag stays, and its
 * digest is still followed.
 */
public final class TagChooser {
  private final Platform platform;
  private final Clock clock;

  /** @param platform the platform the cluster's nodes run, e.g. {@code linux/amd64} */
  public TagChooser(Platform platform, Clock clock) {
    this.platform = platform;
    this.clock = clock;
  }

  Resolution choose(ImageWatch watch, ImageReference current, List<String> tags, Resolver registry) {
    List<String> skipped = new ArrayList<>();
    for (String candidate : policy(watch.policy()).candidates(watch.tag(), tags)) {
      ImageReference reference = current.withTag(candidate);
      ResolvedImage image = registry.resolve(reference, watch.credential());
      if (image.isMultiPlatform()) {
        ImageManifest index =
            registry.manifest(reference.withDigest(image.digest()), watch.credential(), Priority.BACKGROUND);
        if (!index.supports(platform)) {
          skipped.add(candidate + ": no image for " + platform + " (has " + index.platforms() + ")");
          continue;
        }
      }
      return new Resolution.Found(candidate, image.digest().toString(), skipped, clock.instant());
    }
    if (!tags.contains(watch.tag())) {
      return new Resolution.NoCandidate(
          "no tag satisfies " + watch.policy() + (skipped.isEmpty() ? "" : "; skipped " + skipped),
          clock.instant());
    }
    ResolvedImage image = registry.resolve(current, watch.credential());
    return new Resolution.Found(watch.tag(), image.digest().toString(), skipped, clock.instant());
  }

  /** The registry module's policy for a spec the API server or the annotation parser validated. */
  static UpdatePolicy policy(PolicySpec spec) {
    return switch (spec.kind()) {
      case SEMVER -> new SemverPolicy(spec.semver().orElseThrow());
      case PATTERN -> {
        TagOrdering ordering =
            TagOrdering.valueOf(spec.order().orElse("alphabetical").toUpperCase(Locale.ROOT));
        yield PatternPolicy.byFirstNamedGroup(spec.pattern().orElseThrow(), ordering);
      }
      default -> throw new IllegalArgumentException(spec.kind() + " does not choose tags");
    };
  }
}
