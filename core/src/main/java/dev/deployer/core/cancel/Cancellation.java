package dev.deployer.core.cancel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks a run to stop, for Ctrl-C or SIGTERM: no release starts any more (those not started end
 * {@link dev.deployer.core.outcome.Outcome#CANCELLED} with the reason given here), and the Helm
 * operations that are running are cancelled through the engine, which records them failed.
 * Thread-safe; one token may serve several runs, such as deploys and then monitors.
 */
public final class Cancellation implements dev.deployer.core.helm.CancelSignal {
  private final Object lock = new Object();
  private final List<Runnable> listeners = new ArrayList<>();
  private String reason;

  /**
   * Cancels with this reason, shown on every release that did not start. Only the first call
   * counts.
   */
  public void cancel(String reason) {
    Objects.requireNonNull(reason, "reason");
    List<Runnable> toTell;
    synchronized (lock) {
      if (this.reason != null) {
        return;
      }
      this.reason = reason;
      toTell = List.copyOf(listeners);
      listeners.clear();
    }
    toTell.forEach(Runnable::run);
  }

  public boolean isCancelled() {
    return reason().isPresent();
  }

  /** Why the run was cancelled; empty while it is not. */
  public Optional<String> reason() {
    synchronized (lock) {
      return Optional.ofNullable(reason);
    }
  }

  /**
   * Runs {@code action} once when this is cancelled: at once, on this thread, when it already is;
   * else on the thread that cancels. Closing the returned handle forgets the action.
   */
  @Override
  public Registration onCancel(Runnable action) {
    Objects.requireNonNull(action, "action");
    synchronized (lock) {
      if (reason == null) {
        listeners.add(action);
        return () -> {
          synchronized (lock) {
            listeners.remove(action);
          }
        };
      }
    }
    action.run();
    return () -> {};
  }

  /** An action registered with {@link #onCancel}; closing it forgets the action. */
  @FunctionalInterface
  public interface Registration extends dev.deployer.core.helm.CancelSignal.Handle {
    @Override
    void close();
  }
}
