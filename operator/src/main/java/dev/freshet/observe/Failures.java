package dev.freshet.observe;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Says what went wrong in words a person can act on, for conditions and log lines: the API server's
 * own message when it refused a request (it names the object and the field), never a client's
 * exception text with its URL, status dump and stack.
 */
public final class Failures {
  private static final int MAX_LENGTH = 1024;

  private Failures() {}

  public static String describe(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null
        && cause.getCause() != cause
        && !(cause instanceof KubernetesClientException)) {
      cause = cause.getCause();
    }
    String message;
    if (cause instanceof KubernetesClientException e
        && e.getStatus() != null
        && e.getStatus().getMessage() != null) {
      message =
          "the API server refused a change (" + e.getCode() + "): " + e.getStatus().getMessage();
    } else if (cause instanceof KubernetesClientException e && e.getCode() == 0) {
      message = "the API server could not be reached: " + firstLine(e.getMessage());
    } else {
      message =
          cause.getMessage() == null
              ? cause.getClass().getSimpleName()
              : firstLine(cause.getMessage());
    }
    return message.length() > MAX_LENGTH ? message.substring(0, MAX_LENGTH) + "…" : message;
  }

  /** Whether the failure is a 404: the object was deleted while Freshet worked on it. */
  public static boolean isGone(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof KubernetesClientException e && e.getCode() == 404) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /** Whether {@code failure} is, or was caused by, a {@code kind}. */
  public static boolean causedBy(Throwable failure, Class<? extends Throwable> kind) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (kind.isInstance(cause)) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "no detail";
    }
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }
}
