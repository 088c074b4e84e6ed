package dev.deployer.core.builder;

import dev.deployer.core.error.DeployerException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Some releases could not be built. The plan directory was left as it was; every failure is listed.
 */
public final class BuildFailedException extends DeployerException {
  private static final long serialVersionUID = 1L;

  private final transient List<Failure> failures;

  public BuildFailedException(List<Failure> failures) {
    super(
        DeployerException.Kind.FAILED,
        failures.size()
            + (failures.size() == 1 ? " release" : " releases")
            + " failed to build:\n"
            + failures.stream()
                .map(f -> "  " + f.release() + ": " + f.reason())
                .collect(Collectors.joining("\n")));
    this.failures = List.copyOf(failures);
  }

  public List<Failure> failures() {
    return failures;
  }

  /** Why one release failed. */
  public record Failure(String release, String reason) {}
}
