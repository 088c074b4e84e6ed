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

  /** For {@link Kind#REPOSITORY} references: the repository name before the slash. */
  public Optional<String> repositoryName() {
    if (kind != Kind.REPOSITORY) {
      return Optional.empty();
    }
    return Optional.of(name.substring(0, name.indexOf('/')));
  }
}
