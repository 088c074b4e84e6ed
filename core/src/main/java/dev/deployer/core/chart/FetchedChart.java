package dev.deployer.core.chart;

import java.net.URI;
import java.nio.file.Path;

/**
 * A chart downloaded for vendoring, pinned.
 *
 * @param name the chart name
 * @param version the exact version that the constraint resolved to
 * @param digest {@code sha256:<hex>} of the archive's bytes
 * @param archive the downloaded {@code <name>-<version>.tgz}
 * @param source where it was downloaded from
 */
public record FetchedChart(String name, String version, String digest, Path archive, URI source) {}
