package dev.freshet.it;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * SIGKILLs an operator process at a chosen point of its work, as soon as a watch reports that point
 * (a template just patched, a rollout under way…). A test arms it with the point it wants and the
 * process to kill; the watches call {@link #reached} with every point they see; the first match
 * kills the process from the watch's own thread, so no more than the watch's delivery delay
 * separates the state seen from the kill.
 *
 * @param <P> the points a test names
 */
public final class KillSwitch<P> {

  private record Armed<P>(P point, OperatorProcess target, CompletableFuture<P> fired) {}

  private Armed<P> armed;

  /** Kills {@code target} the next time {@code point} is reached; replaces any earlier arming. */
  public synchronized CompletableFuture<P> arm(P point, OperatorProcess target) {
    armed = new Armed<>(point, target, new CompletableFuture<>());
    return armed.fired();
  }

  /** Disarms; a point reached from now on kills nothing. */
  public synchronized void disarm() {
    armed = null;
  }

  /**
   * A watch saw {@code point}: if the switch is armed for it, the process is killed (the signal is
   * sent; {@link OperatorProcess#kill} waits for the end) and the switch disarms.
   *
   * @return whether this call killed
   */
  public synchronized boolean reached(P point) {
    if (armed == null || !armed.point().equals(point) || !armed.target().process().isAlive()) {
      return false;
    }
    armed.target().process().destroyForcibly();
    armed.fired().complete(point);
    armed = null;
    return true;
  }

  /** Waits up to {@code timeout} for an armed point to be reached; empty if it was not. */
  public static <P> Optional<P> await(CompletableFuture<P> fired, Duration timeout) {
    try {
      return Optional.of(fired.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
