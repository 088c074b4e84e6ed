package dev.deployer.core.plan;

import java.util.Optional;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * A YAML parser that refuses lists and mappings nested deeper than a limit. snakeyaml's composer
 * builds nodes recursively, so without a limit a hostile file of a few kilobytes of {@code [[[[...}
 * ends in a StackOverflowError instead of a problem with a location.
 */
final class DepthLimitedParser implements Parser {
  private final Parser parser;
  private final int limit;
  private int depth;

  DepthLimitedParser(Parser parser, int limit) {
    this.parser = parser;
    this.limit = limit;
  }

  @Override
  public boolean checkEvent(Event.ID id) {
    return parser.checkEvent(id);
  }

  @Override
  public Event peekEvent() {
    return parser.peekEvent();
  }

  @Override
  public boolean hasNext() {
    return parser.hasNext();
  }

  @Override
  public Event next() {
    Event event = parser.next();
    switch (event.getEventId()) {
      case SequenceStart, MappingStart -> {
        if (++depth > limit) {
          throw new TooDeep(event.getStartMark(), limit);
        }
      }
      case SequenceEnd, MappingEnd -> depth--;
      default -> {
        // scalars, aliases and document or stream boundaries do not nest
      }
    }
    return event;
  }

  /** The file nests lists and mappings deeper than the limit. */
  static final class TooDeep extends MarkedYamlEngineException {
    private static final long serialVersionUID = 1L;

    TooDeep(Optional<Mark> mark, int limit) {
      super(
          "",
          Optional.empty(),
          "lists and mappings are nested more than " + limit + " levels deep",
          mark);
    }
  }
}
