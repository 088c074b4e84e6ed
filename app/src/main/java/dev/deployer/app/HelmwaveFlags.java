package dev.deployer.app;

import picocli.CommandLine.Option;

/**
 * helmwave's flags of {@code build} and {@code up} that deployer takes so that a helmwave user's
 * scripts run unchanged, though they change nothing here: deployer skips unchanged releases
 * already, and draws its graph in the plan directory's graph.md rather than in the log.
 */
final class HelmwaveFlags {
  @Option(
      names = "--skip-unchanged",
      description =
          "Taken for helmwave's scripts: a release whose chart, values and render equal its live"
              + " revision is skipped anyway (--force-upgrade to upgrade it).")
  boolean skipUnchanged;

  @Option(
      names = "--graph-width",
      paramLabel = "N",
      description =
          "Taken for helmwave's scripts and not used: the graph is graph.md in the plan directory"
              + " (deployer graph prints it).")
  Integer graphWidth;
}
