package dev.deployer.core.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects problems while a plan is read, so that all of them can be reported at once. */
public final class Problems {
  private final List<Problem> errors = new ArrayList<>();
  private final List<Problem> warnings = new ArrayList<>();

  public void error(Location location, String field, String message) {
    errors.add(new Problem(location, field, message));
  }

  public void warning(Location location, String field, String message) {
    warnings.add(new Problem(location, field, message));
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  public List<Problem> errors() {
    return List.copyOf(errors);
  }

  public List<Problem> warnings() {
    return List.copyOf(warnings);
  }

  /** Throws a {@link PlanException} with every error, in file order, when there is any. */
  public void throwIfErrors() {
    if (hasErrors()) {
      List<Problem> sorted = new ArrayList<>(errors);
      sorted.sort(
          Comparator.comparing((Problem p) -> String.valueOf(p.location().file()))
              .thenComparingInt(p -> p.location().line())
              .thenComparingInt(p -> p.location().column()));
      throw new PlanException(sorted);
    }
  }
}
