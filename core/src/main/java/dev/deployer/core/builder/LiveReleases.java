package dev.deployer.core.builder;

import dev.deployer.core.plan.Release;
import java.util.Optional;

/** What is deployed now, for {@code --diff-mode live} and the planfile's live revisions. */
public interface LiveReleases {

  /** The release's newest revision and its manifest (hooks included), if it is installed. */
  Optional<Live> live(Release release);

  /**
   * A deployed revision.
   *
   * @param deployOptions the digest of the deploy options deployer recorded on it; empty when
   *     another tool (or a deployer before this record) wrote it
   */
  record Live(
      int revision,
      String manifest,
      Optional<String> chartVersion,
      Optional<String> deployOptions) {
    public Live(int revision, String manifest, Optional<String> chartVersion) {
      this(revision, manifest, chartVersion, Optional.empty());
    }
  }
}
