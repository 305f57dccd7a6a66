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
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.RandomAccess;

/**
 * Picks the tag a semver or pattern policy moves to, best candidate first, skipping any whose image
 * has no manifest for the platform the workload runs on: moving to it would leave pods unable to
 * start. Skips are reported in the result. With no usable candidate the current tag stays, and its
 * digest is still followed; an empty tag list, or one of tags no reference can name, moves nothing.
 */
public final class TagChooser {
  private final Platform platform;
  private final Clock clock;

  /**
   * @param platform the platform the cluster's nodes run, e.g. {@code linux/amd64}
   */
  public TagChooser(Platform platform, Clock clock) {
    this.platform = platform;
    this.clock = clock;
  }

  /**
   * When choosing must be over. A poll worker is shared by every image, so one image's choice, be
   * it a policy over a huge tag list or a long walk of candidates lacking the platform, must end.
   */
  record Deadline(Instant at, Duration budget, Clock clock) {
    static Deadline after(Duration budget, Clock clock) {
      return new Deadline(clock.instant().plus(budget), budget, clock);
    }

    void check() {
      if (clock.instant().isAfter(at)) {
        throw new DeadlinePassed(budget);
      }
    }

    /** {@code tags} as a list that checks the deadline at each tag a policy looks at. */
    List<String> guard(List<String> tags) {
      final class Guarded extends AbstractList<String> implements RandomAccess {
        @Override
        public String get(int index) {
          check();
          return tags.get(index);
        }

        @Override
        public int size() {
          return tags.size();
        }
      }
      return new Guarded();
    }
  }

  /** Thrown out of a choice that outlived its {@link Deadline}. */
  static final class DeadlinePassed extends RuntimeException {
    DeadlinePassed(Duration budget) {
      super("choosing a tag took longer than " + budget.toSeconds() + "s", null, false, false);
    }
  }

  Resolution choose(
      ImageWatch watch,
      ImageReference current,
      List<String> tags,
      Resolver registry,
      Deadline deadline) {
    List<String> skipped = new ArrayList<>();
    // A registry lists whatever it was given, an empty tag included: a tag no reference can name
    // would make a pin such as repo:@sha256:…, so no policy sees it.
    List<String> nameable = tags.stream().filter(ImageReference::isTag).toList();
    for (String candidate :
        policy(watch.policy()).candidates(watch.tag(), deadline.guard(nameable))) {
      deadline.check();
      ImageReference reference = current.withTag(candidate);
      ResolvedImage image = registry.resolve(reference, watch.credential());
      if (image.isMultiPlatform()) {
        ImageManifest index =
            registry.manifest(
                reference.withDigest(image.digest()), watch.credential(), Priority.BACKGROUND);
        if (!index.supports(platform)) {
          skipped.add(
              candidate + ": no image for " + platform + " (has " + index.platforms() + ")");
          continue;
        }
      }
      return new Resolution.Found(candidate, image.digest().toString(), skipped, clock.instant());
    }
    if (!nameable.contains(watch.tag())) {
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
      case SEMVER -> new SemverPolicy(spec.semver().orElseThrow(), spec.includePrerelease());
      case PATTERN -> {
        TagOrdering ordering =
            TagOrdering.valueOf(spec.order().orElse("alphabetical").toUpperCase(Locale.ROOT));
        yield PatternPolicy.byFirstNamedGroup(spec.pattern().orElseThrow(), ordering);
      }
      default -> throw new IllegalArgumentException(spec.kind() + " does not choose tags");
    };
  }
}
