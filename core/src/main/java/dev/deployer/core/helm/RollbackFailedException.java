package dev.deployer.core.helm;

/**
 * A rollback's objects could not be applied to the cluster. The release now has a {@code failed}
 * revision that says why ({@link #record()}).
 */
public class RollbackFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient ReleaseRecord record;

  public RollbackFailedException(ReleaseRecord record, Throwable cause) {
    super(record.description(), cause);
    this.record = record;
  }

  /** The {@code failed} revision written for the rollback. */
  public ReleaseRecord record() {
    return record;
  }
}
