package dev.deployer.core.plan;

import java.util.Optional;

/**
 * Where a release's chart comes from: a local directory, a packaged {@code .tgz}, {@code
 * repository/chart} from a declared Helm repository, or {@code oci://registry/path/chart}.
 *
 * @param version an exact version or a semver range; empty means the newest stable version
 */
public record Chart(
    String name,
    Optional<String> version,
    Optional<String> username,
    Optional<String> password,
    Optional<String> caFile,
    Optional<String> certFile,
    Optional<String> keyFile,
    boolean insecureSkipTlsVerify,
    boolean skipDependencyUpdate,
    boolean skipRefresh,
    Kind kind,
    Location location) {

  /** The kinds of chart reference. */
  public enum Kind {
    LOCAL_DIRECTORY,
    ARCHIVE,
    REPOSITORY,
    OCI
  }

  /**
   * A chart of this kind with no version constraint, credentials or TLS settings, whose
   * dependencies are built and whose repositories are refreshed as usual; change the rest with the
   * {@code with} methods.
   */
  public static Chart of(String name, Kind kind, Location location) {
    return new Chart(
        name,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        false,
        false,
        kind,
        location);
  }

  /** A local chart directory, every other field at its default. */
  public static Chart local(String name, Location location) {
    return of(name, Kind.LOCAL_DIRECTORY, location);
  }

  public Chart withVersion(Optional<String> version) {
    return Records.with(this, "version", version);
  }

  /**
   * This chart with Helm's dependency build and repository refresh skipped or not, as a plan's
   * {@code skip_dependency_update} and {@code skip_refresh}.
   */
  public Chart withSkips(boolean skipDependencyUpdate, boolean skipRefresh) {
    return Records.with(
        this, "skipDependencyUpdate", skipDependencyUpdate, "skipRefresh", skipRefresh);
  }

  /** For {@link Kind#REPOSITORY} references: the repository name before the slash. */
  public Optional<String> repositoryName() {
    if (kind != Kind.REPOSITORY) {
      return Optional.empty();
    }
    return Optional.of(name.substring(0, name.indexOf('/')));
  }
}
