package dev.freshet.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What Freshet last observed, in the shape Kubernetes conventions ask for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppStatus {

  private Long observedGeneration;
  private List<Condition> conditions = new ArrayList<>();
  private Integer replicas;
  private Integer readyReplicas;
  private Integer updatedReplicas;

  /** readyReplicas/replicas, e.g. 2/2: a printer column cannot compute it. */
  private String ready;

  private ImageStatus image;
  private List<HistoryEntry> history;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public Integer getUpdatedReplicas() {
    return updatedReplicas;
  }

  public void setUpdatedReplicas(Integer updatedReplicas) {
    this.updatedReplicas = updatedReplicas;
  }

  public String getReady() {
    return ready;
  }

  public void setReady(String ready) {
    this.ready = ready;
  }

  public ImageStatus getImage() {
    return image;
  }

  public void setImage(ImageStatus image) {
    this.image = image;
  }

  public List<HistoryEntry> getHistory() {
    return history;
  }

  public void setHistory(List<HistoryEntry> history) {
    this.history = history;
  }
}
