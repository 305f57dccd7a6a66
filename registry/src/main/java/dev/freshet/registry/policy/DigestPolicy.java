package dev.freshet.registry.policy;

import java.util.Collection;
import java.util.List;

/**
 * Keep the tag, follow the digest behind it: for mutable tags such as {@code latest} or {@code
 * dev}.
 */
public record DigestPolicy() implements UpdatePolicy {
  @Override
  public List<String> candidates(String currentTag, Collection<String> tags) {
    return List.of();
  }

  @Override
  public boolean needsTagList() {
    return false;
  }
}
