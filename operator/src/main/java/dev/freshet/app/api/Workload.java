package dev.freshet.app.api;

/** The kind of workload an App runs as; the constant names are the values users write. */
public enum Workload {
  Deployment,
  StatefulSet
}
