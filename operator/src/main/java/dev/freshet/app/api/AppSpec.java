package dev.freshet.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the owner declares. Rules that span several fields live here as CEL so the API server
 * refuses a bad App at admission instead of the reconciler failing later.
 */
@ValidationRule(
    value =
        "!has(self.volumeClaimTemplates) || size(self.volumeClaimTemplates) == 0"
            + " || self.workload == 'StatefulSet'",
    message = "volumeClaimTemplates is allowed only with workload: StatefulSet",
    fieldPath = ".volumeClaimTemplates")
@ValidationRule(
    value = "self.service.type == 'None' || (has(self.ports) && size(self.ports) > 0)",
    message = "a Service needs at least one entry in ports; add ports or set service.type: None",
    fieldPath = ".ports")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppSpec {

  /**
   * The distribution/reference grammar (host[:port]/path[:tag][@digest]) in RE2 syntax, which is
   * what CEL's matches() speaks.
   */
  static final String IMAGE_REFERENCE =
      "^(([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)(\\\\.([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?))*"
          + "(:[0-9]+)?/)?"
          + "[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*"
          + "(:[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127})?"
          + "(@sha256:[a-f0-9]{64})?$";

  @Required
  @Size(max = 512)
  @ValidationRule(
      value = "self.matches('" + IMAGE_REFERENCE + "')",
      message =
          "must be an image reference such as registry.example.com/team/app:1.2.3 or"
              + " nginx@sha256:<64 hex digits> (lower-case repository, optional host[:port],"
              + " tag and digest)")
  private String image;

  @Default("Deployment")
  @ValidationRule(
      value = "self == oldSelf",
      message = "workload cannot be changed on an existing App; delete the App and create it again")
  private Workload workload = Workload.Deployment;

  /**
   * Far above any single workload a cluster runs (Kubernetes is tested to 150,000 pods across 5,000
   * nodes), yet below the int32 a Deployment takes: a larger number is a typo, refused here rather
   * than in the informer.
   */
  @Default("1")
  @Min(0)
  @Max(MAX_REPLICAS)
  private Integer replicas = 1;

  public static final int MAX_REPLICAS = 10_000;

  // All ports are TCP (AppPort has no protocol), so one containerPort or Service port used twice is
  // a conflict the Deployment or Service would refuse on every reconcile.
  @Size(max = 64)
  @ValidationRule(
      value = "self.all(p, self.exists_one(q, q.name == p.name))",
      message = "port names must be unique")
  @ValidationRule(
      value = "self.all(p, self.exists_one(q, q.containerPort == p.containerPort))",
      message = "two ports have the same containerPort; each port needs its own containerPort")
  @ValidationRule(
      value =
          "self.all(p, self.exists_one(q, (has(q.servicePort) ? q.servicePort : q.containerPort)"
              + " == (has(p.servicePort) ? p.servicePort : p.containerPort)))",
      message =
          "two ports have the same Service port (servicePort, or containerPort when servicePort"
              + " is not set); each port needs its own")
  private List<AppPort> ports = new ArrayList<>();

  @Default("{}")
  private ServiceSpec service = new ServiceSpec();

  private List<EnvVar> env;
  private List<EnvFromSource> envFrom;
  private ResourceRequirements resources;
  private Probe readinessProbe;
  private Probe livenessProbe;
  private List<String> command;
  private List<String> args;
  private List<Volume> volumes;
  private List<VolumeMount> volumeMounts;
  private List<PersistentVolumeClaim> volumeClaimTemplates;
  private List<LocalObjectReference> imagePullSecrets;
  private String serviceAccountName;
  private Map<String, String> podLabels = new LinkedHashMap<>();
  private Map<String, String> podAnnotations = new LinkedHashMap<>();

  @Default("{}")
  private UpdateSpec update = new UpdateSpec();

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Workload getWorkload() {
    return workload;
  }

  public void setWorkload(Workload workload) {
    this.workload = workload;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public List<AppPort> getPorts() {
    return ports;
  }

  public void setPorts(List<AppPort> ports) {
    this.ports = ports;
  }

  public ServiceSpec getService() {
    return service;
  }

  public void setService(ServiceSpec service) {
    this.service = service;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public List<EnvFromSource> getEnvFrom() {
    return envFrom;
  }

  public void setEnvFrom(List<EnvFromSource> envFrom) {
    this.envFrom = envFrom;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Probe getReadinessProbe() {
    return readinessProbe;
  }

  public void setReadinessProbe(Probe readinessProbe) {
    this.readinessProbe = readinessProbe;
  }

  public Probe getLivenessProbe() {
    return livenessProbe;
  }

  public void setLivenessProbe(Probe livenessProbe) {
    this.livenessProbe = livenessProbe;
  }

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public List<String> getArgs() {
    return args;
  }

  public void setArgs(List<String> args) {
    this.args = args;
  }

  public List<Volume> getVolumes() {
    return volumes;
  }

  public void setVolumes(List<Volume> volumes) {
    this.volumes = volumes;
  }

  public List<VolumeMount> getVolumeMounts() {
    return volumeMounts;
  }

  public void setVolumeMounts(List<VolumeMount> volumeMounts) {
    this.volumeMounts = volumeMounts;
  }

  public List<PersistentVolumeClaim> getVolumeClaimTemplates() {
    return volumeClaimTemplates;
  }

  public void setVolumeClaimTemplates(List<PersistentVolumeClaim> volumeClaimTemplates) {
    this.volumeClaimTemplates = volumeClaimTemplates;
  }

  public List<LocalObjectReference> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public Map<String, String> getPodLabels() {
    return podLabels;
  }

  public void setPodLabels(Map<String, String> podLabels) {
    this.podLabels = podLabels;
  }

  public Map<String, String> getPodAnnotations() {
    return podAnnotations;
  }

  public void setPodAnnotations(Map<String, String> podAnnotations) {
    this.podAnnotations = podAnnotations;
  }

  public UpdateSpec getUpdate() {
    return update;
  }

  public void setUpdate(UpdateSpec update) {
    this.update = update;
  }
}
