package dev.freshet.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.it.OperatorProcess;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One replica of install.yaml's Deployment, run as the kubelet would run its container, but as a
 * process on this machine: the image's own entrypoint from the image's own file system (chrooted
 * into the pulled image), the container's args and env from the manifest, the pod's user and group
 * (the process is not root and has no capabilities), a read-only root with an emptyDir-like tmpfs
 * on /tmp, and the service account's token, CA and namespace at the path every in-cluster client
 * reads (/var/run/secrets/kubernetes.io/serviceaccount), bind-mounted in a mount namespace of the
 * process's own ({@code unshare --mount}), so nothing on the machine changes. The API server is
 * found through {@code KUBERNETES_SERVICE_HOST/PORT}; no kubeconfig, no client override.
 *
 * <p>What differs from a pod, and why: the process shares the machine's network, so its HTTP
 * endpoints and receivers listen on free loopback ports instead of 8080 and 9443 (two replicas
 * would collide), and the Lease gets a name of the test's own so runs stay apart; every other
 * argument is the manifest's.
 */
final class InstalledPod implements AutoCloseable {

  static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  /** Mounts, then runs the rest of the command line; argument 1 is the root, 2 the token dir. */
  private static final String MOUNTS =
      String.join(
          "\n",
          "set -eu",
          "root=$1; secrets=$2; tmp_size=$3; shift 3",
          "mount --bind \"$root\" \"$root\"",
          "mount -t tmpfs -o mode=1777,size=\"$tmp_size\" tmpfs \"$root/tmp\"",
          "mount -t tmpfs -o mode=0755,size=64k tmpfs \"$root/dev\"",
          "for d in null zero full random urandom; do",
          "  : > \"$root/dev/$d\"; mount --bind \"/dev/$d\" \"$root/dev/$d\"",
          "done",
          "mount -t proc proc \"$root/proc\" 2>/dev/null || mount --rbind /proc \"$root/proc\"",
          "mount --bind \"$secrets\" \"$root" + SERVICE_ACCOUNT_DIR + "\"",
          "mount -o remount,bind,ro \"$root" + SERVICE_ACCOUNT_DIR + "\"",
          "mount -o remount,bind,ro \"$root\"",
          "exec \"$@\"");

  private final String name;
  private final OperatorProcess process;
  private final Path log;
  private final int receiverPort;

  private InstalledPod(String name, OperatorProcess process, Path log, int receiverPort) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.receiverPort = receiverPort;
  }

  /**
   * Starts replica {@code name} (its POD_NAME and HOSTNAME) of {@code deployment}'s container from
   * {@code image}, with {@code token} as its service account's token.
   *
   * @param leaseName the Lease this replica competes for (the manifest's would be shared by runs)
   * @param work a directory of the caller's for the service account files
   */
  static InstalledPod start(
      Deployment deployment,
      PulledImage image,
      String name,
      String token,
      Config apiServer,
      String leaseName,
      Path work)
      throws IOException {
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);
    String namespace = deployment.getMetadata().getNamespace();
    long uid = pod.getSecurityContext().getRunAsUser();
    long gid = pod.getSecurityContext().getRunAsGroup();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();

    Path secrets = Files.createDirectories(work.resolve(name + "-serviceaccount"));
    write(secrets.resolve("token"), token);
    write(secrets.resolve("namespace"), namespace);
    write(secrets.resolve("ca.crt"), caCertificate(apiServer));
    Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String dir : List.of("proc", "dev", "tmp", SERVICE_ACCOUNT_DIR.substring(1))) {
      Files.createDirectories(image.root().resolve(dir));
    }

    URI master = URI.create(apiServer.getMasterUrl());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOSTNAME", name);
    env.put("KUBERNETES_SERVICE_HOST", master.getHost());
    env.put("KUBERNETES_SERVICE_PORT", Integer.toString(master.getPort()));
    for (EnvVar var : container.getEnv()) {
      env.put(var.getName(), value(var, name, namespace));
    }

    var launcher =
        new ArrayList<>(
            List.of(
                executable("unshare"),
                "--mount",
                "--propagation",
                "private",
                executable("sh"),
                "-c",
                MOUNTS,
                "mounts",
                image.root().toString(),
                secrets.toString(),
                tmpSize(pod, container),
                executable("env"),
                "-i"));
    env.forEach((k, v) -> launcher.add(k + "=" + v));
    // No new privileges (allowPrivilegeEscalation: false); chroot then switches to the pod's user
    // and group and drops the supplementary groups, which leaves the process no capabilities.
    launcher.addAll(
        List.of(
            executable("setpriv"),
            "--no-new-privs",
            "--inh-caps=-all",
            executable("chroot"),
            "--userspec=" + uid + ":" + gid,
            "--groups=" + gid,
            image.root().toString()));
    launcher.addAll(image.entrypoint());

    List<String> args = new ArrayList<>(container.getArgs());
    assertThat(args.remove(0)).as("the manifest's command").isEqualTo("operator");
    int receiverPort = freePort();
    args.replaceAll(
        a -> a.startsWith("--receiver-addr=") ? "--receiver-addr=127.0.0.1:" + receiverPort : a);
    args.add("--lease-name=" + leaseName);

    Path log = Path.of("target", "installed-" + leaseName + "-" + name + ".log");
    return new InstalledPod(name, OperatorProcess.start(launcher, log, args), log, receiverPort);
  }

  String name() {
    return name;
  }

  OperatorProcess process() {
    return process;
  }

  int receiverPort() {
    return receiverPort;
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The JVM's credentials as the kernel reports them ({@code Uid}, {@code Gid}, {@code Groups},
   * {@code CapEff}, {@code NoNewPrivs} … of /proc/PID/status).
   */
  Map<String, String> credentials() throws IOException {
    Map<String, String> status = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      int colon = line.indexOf(':');
      status.put(line.substring(0, colon), line.substring(colon + 1).strip());
    }
    return status;
  }

  /** The JVM's root directory, as the kernel reports it. */
  Path root() throws IOException {
    return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid()), "root"));
  }

  long pid() {
    // unshare, sh, env, setpriv and chroot each exec the next: the process started is the JVM.
    return process.process().pid();
  }

  @Override
  public void close() {
    process.close();
  }

  private static String value(EnvVar var, String pod, String namespace) {
    if (var.getValue() != null) {
      return var.getValue();
    }
    String field = var.getValueFrom().getFieldRef().getFieldPath();
    return switch (field) {
      case "metadata.name" -> pod;
      case "metadata.namespace" -> namespace;
      default -> throw new IllegalArgumentException("no downward API value for " + field);
    };
  }

  /** The /tmp emptyDir's size limit, as a tmpfs size. */
  private static String tmpSize(PodSpec pod, Container container) {
    VolumeMount tmp =
        container.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals("/tmp"))
            .findFirst()
            .orElseThrow();
    Volume volume =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals(tmp.getName()))
            .findFirst()
            .orElseThrow();
    Quantity limit = volume.getEmptyDir().getSizeLimit();
    return Quantity.getAmountInBytes(limit).toBigInteger().toString();
  }

  private static String caCertificate(Config config) throws IOException {
    if (config.getCaCertData() != null) {
      return new String(Base64.getDecoder().decode(config.getCaCertData()));
    }
    return Files.readString(Path.of(config.getCaCertFile()));
  }

  private static void write(Path file, String content) throws IOException {
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
  }

  /** The machine's program, by absolute path: after {@code env -i} there is no PATH. */
  private static String executable(String name) {
    return Stream.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(name + " is not installed"))
        .toString();
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
