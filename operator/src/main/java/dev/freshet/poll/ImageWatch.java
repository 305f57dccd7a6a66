package dev.freshet.poll;

import dev.freshet.registry.ImageReference;
import dev.freshet.registry.RegistryHosts;
import dev.freshet.registry.auth.Credential;
import java.util.Optional;

/**
 * One distinct question the poller asks a registry: "what should {@code repository} run now, given
 * its current tag and this policy, seen with this credential?". Workloads that ask the same
 * question share one answer, so registry traffic grows with distinct images, not with workloads.
 * The credential takes part in equality through its fingerprint only: two pull secrets with the
 * same login are one watch.
 *
 * @param registry registry host, e.g. {@code docker.io} or {@code 127.0.0.1:5000}
 * @param repository repository path, e.g. {@code library/nginx}
 * @param tag the tag the workload names now
 * @param policy how a newer version is chosen
 * @param credential the credential to ask with, if any
 */
public record ImageWatch(
    String registry,
    String repository,
    String tag,
    PolicySpec policy,
    Optional<Credential> credential) {

  /**
   * Whether this watch is on {@code registry/repository} as a webhook or a hint may name it: Docker
   * Hub under any of its host names, its official images with or without {@code library/}, and a
   * host name in any case are the same repository. Senders spell names their own way; the watch
   * keeps the workload's spelling, because that is what the registry is asked with.
   */
  public boolean isOn(String otherRegistry, String otherRepository) {
    return canonicalName(registry, repository)
        .equals(canonicalName(otherRegistry, otherRepository));
  }

  static String canonicalName(String registry, String repository) {
    String host = RegistryHosts.credentialKey(registry);
    String path =
        host.equals(ImageReference.DOCKER_HUB) && repository.indexOf('/') < 0
            ? "library/" + repository
            : repository;
    return host + "/" + path;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageWatch w
        && registry.equals(w.registry)
        && repository.equals(w.repository)
        && tag.equals(w.tag)
        && policy.equals(w.policy)
        && credentialKey().equals(w.credentialKey());
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(registry, repository, tag, policy, credentialKey());
  }

  private String credentialKey() {
    return credential.map(Credential::fingerprint).orElse("");
  }

  @Override
  public String toString() {
    return registry
        + "/"
        + repository
        + ":"
        + tag
        + " ("
        + policy
        + credential.map(c -> ", as " + c.username()).orElse("")
        + ")";
  }
}
