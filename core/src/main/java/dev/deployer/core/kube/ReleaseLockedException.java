package dev.deployer.core.kube;

import dev.deployer.core.error.DeployerException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Another deployer run holds the lock of a release and kept renewing it for as long as this run was
 * willing to wait. The user waits for that run, or stops it; a lock whose holder died frees itself
 * once its lease runs out.
 */
public final class ReleaseLockedException extends DeployerException {
  private static final long serialVersionUID = 1L;

  private final String namespace;
  private final String release;
  private final String holder;
  private final transient Optional<Instant> lastRenewed;

  public ReleaseLockedException(
      String namespace,
      String release,
      String holder,
      Optional<Instant> lastRenewed,
      Duration leaseDuration,
      Duration waited) {
    super(
        DeployerException.Kind.REFUSED,
        "release "
            + release
            + " in namespace "
            + namespace
            + " is locked by "
            + holder
            + " (Lease "
            + namespace
            + "/"
            + ReleaseLocks.leaseName(release)
            + ", last renewed "
            + lastRenewed.map(Instant::toString).orElse("never")
            + "); waited "
            + waited.toSeconds()
            + " s. Another deployer run is deploying it; if that run is gone, its lock expires "
            + leaseDuration.toSeconds()
            + " s after the last renewal.");
    this.namespace = namespace;
    this.release = release;
    this.holder = holder;
    this.lastRenewed = lastRenewed;
  }

  public String namespace() {
    return namespace;
  }

  public String release() {
    return release;
  }

  /** The holder identity of the lease: host, process id and run id of the other run. */
  public String holder() {
    return holder;
  }

  /** When the holder last renewed the lease, if the lease says. */
  public Optional<Instant> lastRenewed() {
    return lastRenewed;
  }
}
