package dev.deployer.core.helm;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a caller follows and stops one engine operation.
 *
 * @param cancel stops the operation
 * @param events receives what the engine reports while it runs, on an engine thread
 */
public record Operation(CancelSignal cancel, Consumer<EngineEvent> events) {
  /** Neither cancelled nor followed. */
  public static final Operation NONE = new Operation(CancelSignal.NONE, e -> {});

  public Operation {
    Objects.requireNonNull(cancel, "cancel");
    Objects.requireNonNull(events, "events");
  }
}
