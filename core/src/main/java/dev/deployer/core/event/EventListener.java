package dev.deployer.core.event;

/** Receives core's events. Implementations must be thread-safe: events come from many threads. */
@FunctionalInterface
public interface EventListener {
  EventListener NONE = event -> {};

  void on(Event event);
}
