package dev.deployer.core.plandir;

import dev.deployer.core.error.DeployerException;
import dev.deployer.core.plan.Problem;
import java.nio.file.Path;
import java.util.List;

/**
 * A plan directory that is not as its build left it: a file the planfile records is missing or has
 * another digest, or the planfile itself was edited. Nothing is deployed from it.
 */
public final class PlanDirectoryChangedException extends DeployerException {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public PlanDirectoryChangedException(Path dir, List<Problem> problems) {
    super(
        DeployerException.Kind.REFUSED,
        dir
            + " is not the plan directory that was built and reviewed ("
            + problems.size()
            + (problems.size() == 1 ? " file differs" : " files differ")
            + "); build it again and review the change:\n  "
            + String.join("\n  ", problems.stream().map(Problem::toString).toList()));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
