package dev.deployer.core.error;

/**
 * The root of every failure deployer reports to its user as such (rather than as a bug): its {@link
 * Kind} is all the command line needs to choose an exit code, and its message is written for the
 * user.
 */
public class DeployerException extends RuntimeException {
  /** What kind of failure ends the command. */
  public enum Kind {
    /** The input is wrong: a plan, an option, a kubeconfig. Nothing ran. */
    INVALID_INPUT,
    /** Something ran and failed: a build, a hook. */
    FAILED,
    /**
     * deployer refused to go on to protect what is deployed: a stale plan, a changed plan
     * directory, a lock another run holds, dependents left installed.
     */
    REFUSED,
    /**
     * A cluster's API server could not be reached (refused, unknown host, no route, a connection
     * lost): nothing can be said about what is deployed there.
     */
    UNREACHABLE
  }

  private final Kind kind;

  public DeployerException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public DeployerException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
