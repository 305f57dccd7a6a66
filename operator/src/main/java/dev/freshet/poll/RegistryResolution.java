package dev.freshet.poll;

import dev.freshet.registry.ImageReference;
import dev.freshet.registry.Priority;
import dev.freshet.registry.RateLimitedException;
import dev.freshet.registry.RegistryException;
import dev.freshet.registry.RegistryHosts;
import dev.freshet.registry.resolve.Platform;
import dev.freshet.registry.resolve.ResolvedImage;
import dev.freshet.registry.resolve.Resolver;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Answers the poller's questions with the registry client: the digest behind the current tag, or,
 * for tag-choosing policies, the best tag the policy allows and its digest. A registry failure
 * becomes a {@link Resolution.Failed} carrying the registry's Retry-After, never an exception.
 */
public final class RegistryResolution implements Poller.Resolver {
  private final Resolver registry;
  private final TagChooser chooser;
  private final Clock clock;
  private final Predicate<String> allowedRegistry;
  private final Duration choosingBudget;

  /**
   * How long choosing a tag may take once the tags are listed. Far above a sane policy's needs (RE2
   * patterns take microseconds per tag), far below a poll interval, so a pathological image fails
   * that check and backs off instead of holding a worker that other images are waiting for.
   */
  public static final Duration DEFAULT_CHOOSING_BUDGET = Duration.ofSeconds(20);

  public RegistryResolution(Resolver registry, TagChooser chooser, Clock clock) {
    this(registry, chooser, clock, host -> true);
  }

  /**
   * @param allowedRegistry which registry hosts may be asked at all; an air-gapped cluster (or a
   *     test on loopback) lists its own, and any other image is reported instead of looked up
   */
  public RegistryResolution(
      Resolver registry, TagChooser chooser, Clock clock, Predicate<String> allowedRegistry) {
    this(registry, chooser, clock, allowedRegistry, DEFAULT_CHOOSING_BUDGET);
  }

  /**
   * @param choosingBudget how long choosing a tag may take; see {@link #DEFAULT_CHOOSING_BUDGET}
   */
  public RegistryResolution(
      Resolver registry,
      TagChooser chooser,
      Clock clock,
      Predicate<String> allowedRegistry,
      Duration choosingBudget) {
    this.registry = registry;
    this.chooser = chooser;
    this.clock = clock;
    this.allowedRegistry = allowedRegistry;
    this.choosingBudget = choosingBudget;
  }

  /**
   * Real requests, to loopback registries only, for a linux/amd64 cluster: what tests and
   * benchmarks on the testbed use, so an image naming a public registry is reported, never looked
   * up.
   */
  public static RegistryResolution loopbackOnly(Clock clock) {
    return new RegistryResolution(
        Resolver.builder().confirmDeclaredDigests(true).build(),
        new TagChooser(Platform.parse("linux/amd64"), clock),
        clock,
        RegistryHosts::isLoopback);
  }

  @Override
  public Resolution resolve(ImageWatch watch) {
    if (!allowedRegistry.test(watch.registry())) {
      return new Resolution.Failed(
          "NotAllowed",
          "registry "
              + watch.registry()
              + " is not among the registries Freshet may ask (--registry-allow)",
          Optional.empty(),
          clock.instant());
    }
    ImageReference current =
        ImageReference.parse(watch.registry() + "/" + watch.repository() + ":" + watch.tag());
    try {
      if (!watch.policy().choosesTags()) {
        ResolvedImage image = registry.resolve(current, watch.credential());
        return new Resolution.Found(
            watch.tag(), image.digest().toString(), List.of(), clock.instant());
      }
      List<String> tags = registry.listTags(current, watch.credential(), Priority.BACKGROUND);
      return chooser.choose(
          watch, current, tags, registry, TagChooser.Deadline.after(choosingBudget, clock));
    } catch (TagChooser.DeadlinePassed e) {
      return new Resolution.Failed(
          "ChoosingTimedOut",
          e.getMessage() + " among " + watch.repository() + "'s tags; simplify the policy",
          Optional.empty(),
          clock.instant());
    } catch (RateLimitedException e) {
      return new Resolution.Failed(
          e.reason(), e.getMessage(), Optional.of(e.retryAt()), clock.instant());
    } catch (RegistryException e) {
      return new Resolution.Failed(e.reason(), e.getMessage(), Optional.empty(), clock.instant());
    } catch (IllegalArgumentException e) {
      return new Resolution.Failed(
          "InvalidPolicy", e.getMessage(), Optional.empty(), clock.instant());
    }
  }
}
