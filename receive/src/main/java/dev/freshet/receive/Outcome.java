package dev.freshet.receive;

/** How a request ended, for counters: hints handed on, nothing to do, or refused. */
public enum Outcome {
  ACCEPTED,
  IGNORED,
  REFUSED
}
