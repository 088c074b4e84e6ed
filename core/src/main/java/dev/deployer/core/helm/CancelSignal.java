package dev.deployer.core.helm;

/**
 * Tells a running engine operation to stop: the engine cancels Helm's context, and Helm records the
 * release {@code failed} (never {@code pending-*}) before the call returns.
 */
@FunctionalInterface
public interface CancelSignal {
  /** Never cancels. */
  CancelSignal NONE = action -> () -> {};

  /**
   * Runs {@code action} once when the operation should stop, at once when it already should.
   * Closing the handle forgets the action.
   */
  Handle onCancel(Runnable action);

  /** A registered action; closing it forgets the action. */
  @FunctionalInterface
  interface Handle extends AutoCloseable {
    @Override
    void close();
  }
}
