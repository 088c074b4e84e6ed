package dev.deployer.core.build;

import dev.deployer.core.plan.Release;
import java.util.Optional;

/** What is deployed now, for {@code --diff-mode live} and the planfile's live revisions. */
public interface LiveReleases {

  /** The release's newest revision and its manifest (hooks included), if it is installed. */
  Optional<Live> live(Release release);

  /** A deployed revision. */
  record Live(int revision, String manifest, Optional<String> chartVersion) {}
}
