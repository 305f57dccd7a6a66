package dev.freshet.update;

import dev.freshet.registry.auth.Credential;
import dev.freshet.registry.auth.DockerConfig;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the credential a workload's pods would pull with: the pod's {@code imagePullSecrets}, then
 * its service account's, in that order, as the kubelet does. Secrets are read on demand, by name,
 * in the workload's namespace only (no informer: caching every Secret of the cluster would take a
 * privilege and memory Freshet does not need), through a short-lived cache, because every poll
 * result reconciles every subscriber and the answer rarely changes.
 */
public final class PullSecretCredentials {
  private static final Logger log = LoggerFactory.getLogger(PullSecretCredentials.class);
  static final Duration CACHE_FOR = Duration.ofSeconds(30);

  private record Cached(DockerConfig config, Instant until) {}

  private record CachedAccount(List<String> pullSecrets, Instant until) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Map<String, CachedAccount> accounts = new ConcurrentHashMap<>();

  public PullSecretCredentials(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /**
   * The credential for {@code registry} that pods of {@code pod} in {@code namespace} would use.
   *
   * @throws PullSecretRefused when a pull secret's name could not be a Secret's in {@code
   *     namespace}, such as {@code other-namespace/name}: nothing is read then
   */
  public Optional<Credential> find(String namespace, PodSpec pod, String registry) {
    Set<String> names = new LinkedHashSet<>();
    if (pod.getImagePullSecrets() != null) {
      for (LocalObjectReference reference : pod.getImagePullSecrets()) {
        PullSecretRefused.check(namespace, reference.getName(), "imagePullSecrets");
        names.add(reference.getName());
      }
    }
    String account = pod.getServiceAccountName() == null ? "default" : pod.getServiceAccountName();
    for (String name : accountPullSecrets(namespace, account)) {
      PullSecretRefused.check(
          namespace, name, "the imagePullSecrets of service account " + account);
      names.add(name);
    }
    List<DockerConfig> configs = new ArrayList<>();
    for (String name : names) {
      configs.add(config(namespace, name));
    }
    return DockerConfig.merge(configs).credentialFor(registry);
  }

  /** The service account's pull secrets, through the same short-lived cache as the secrets. */
  private List<String> accountPullSecrets(String namespace, String account) {
    String key = namespace + "/" + account;
    Instant now = clock.instant();
    CachedAccount cached = accounts.get(key);
    if (cached != null && cached.until().isAfter(now)) {
      return cached.pullSecrets();
    }
    ServiceAccount sa = client.serviceAccounts().inNamespace(namespace).withName(account).get();
    List<String> names =
        sa == null || sa.getImagePullSecrets() == null
            ? List.of()
            : sa.getImagePullSecrets().stream().map(LocalObjectReference::getName).toList();
    accounts.put(key, new CachedAccount(names, now.plus(CACHE_FOR)));
    return names;
  }

  private DockerConfig config(String namespace, String name) {
    String key = namespace + "/" + name;
    Cached cached = cache.get(key);
    Instant now = clock.instant();
    if (cached != null && cached.until().isAfter(now)) {
      return cached.config();
    }
    DockerConfig config = read(namespace, name);
    cache.put(key, new Cached(config, now.plus(CACHE_FOR)));
    return config;
  }

  private DockerConfig read(String namespace, String name) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null || secret.getData() == null) {
      log.debug("pull secret {}/{} is missing or empty", namespace, name);
      return DockerConfig.empty();
    }
    String data =
        secret.getData().getOrDefault(".dockerconfigjson", secret.getData().get(".dockercfg"));
    if (data == null) {
      return DockerConfig.empty();
    }
    try {
      return DockerConfig.parse(
          Base64.getDecoder().decode(data.getBytes(StandardCharsets.US_ASCII)));
    } catch (IllegalArgumentException e) {
      log.warn("pull secret {}/{} is not a docker config: {}", namespace, name, e.getMessage());
      return DockerConfig.empty();
    }
  }
}
