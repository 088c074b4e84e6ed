/**
 * Fetching charts for vendoring, apart from the engine: Helm repositories (index, basic auth, TLS)
 * and OCI registries, version selection (exact, semver ranges, newest), and the archives they serve
 * ({@link dev.deployer.core.chart.ChartFetcher} is the entry point). Uses the shared HTTP helper
 * ({@code core.http}) and nothing of the engine.
 */
package dev.deployer.core.chart;
