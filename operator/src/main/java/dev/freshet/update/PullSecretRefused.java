package dev.freshet.update;

/**
 * A pull secret reference Freshet does not follow: pull secrets are read only by name, in the
 * workload's own namespace, as the kubelet reads them. A {@code namespace/name} form (which Argo CD
 * Image Updater's users know, and which the API server does not refuse in a pod template's {@code
 * imagePullSecrets}) would ask Freshet to read another namespace's Secret with its cluster-wide
 * {@code get}; it is refused, and so is any other reference that cannot be a Secret's name.
 */
public final class PullSecretRefused extends RuntimeException {

  private PullSecretRefused(String message) {
    super(message, null, false, false);
  }

  /**
   * Passes a name the kubelet could read in {@code namespace}; refuses any other.
   *
   * @param where what names it, for the message: {@code imagePullSecrets}, or a service account's
   */
  static void check(String namespace, String name, String where) {
    if (SecretNames.isValid(name)) {
      return;
    }
    String shown = name == null ? "" : name.length() > 64 ? name.substring(0, 64) + "…" : name;
    if (name != null && name.contains("/")) {
      throw new PullSecretRefused(
          where
              + " names \""
              + shown
              + "\", a Secret in another namespace: Freshet reads pull secrets only in the"
              + " workload's own namespace ("
              + namespace
              + "); copy the Secret there and name it alone");
    }
    throw new PullSecretRefused(
        where
            + " names \""
            + shown
            + "\", which is not a Secret's name (lower-case letters, digits, '-' and '.')");
  }
}
