package dev.deployer.core.plan;

import dev.deployer.core.error.DeployerException;
import java.util.List;
import java.util.stream.Collectors;

/** The plan is not valid. Carries every problem found, not only the first. */
public final class PlanException extends DeployerException {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public PlanException(List<Problem> problems) {
    super(
        DeployerException.Kind.INVALID_INPUT,
        problems.stream()
            .map(Problem::toString)
            .collect(Collectors.joining(System.lineSeparator())));
    this.problems = List.copyOf(problems);
  }

  public PlanException(Problem problem) {
    this(List.of(problem));
  }

  public List<Problem> problems() {
    return problems;
  }
}
