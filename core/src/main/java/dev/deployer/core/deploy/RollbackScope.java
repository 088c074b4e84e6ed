package dev.deployer.core.deploy;

/** How far a failed monitor's rollback reaches. */
public enum RollbackScope {
  /** Only the releases that reference the monitor. */
  RELEASE,
  /** Those, and every release of this run that depends on one of them. */
  DEPENDENTS,
  /** Every release this run changed: all or nothing. */
  PLAN
}
