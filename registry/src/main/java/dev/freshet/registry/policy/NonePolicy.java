package dev.freshet.registry.policy;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Never update: the image is what the spec says, digest included. */
public record NonePolicy() implements UpdatePolicy {
  @Override
  public List<String> candidates(String currentTag, Collection<String> tags) {
    return List.of();
  }

  @Override
  public Optional<String> select(String currentTag, Collection<String> tags) {
    return Optional.empty();
  }

  @Override
  public boolean needsTagList() {
    return false;
  }
}
