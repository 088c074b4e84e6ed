package dev.deployer.core.builder;

import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.plan.Release;
import java.util.Optional;

/** What is deployed now, for {@code --diff-mode live} and the planfile's live revisions. */
public interface LiveReleases {

  /**
   * The release's newest revision as Helm recorded it (its manifest, hooks and labels with it), if
   * it is installed: the same live state {@code deploy.Cluster} gives.
   */
  Optional<ReleaseRevision> latest(Release release);
}
