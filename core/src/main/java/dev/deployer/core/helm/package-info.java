/**
 * The Helm engine behind one interface ({@link dev.deployer.core.helm.HelmEngine}) and the fetching
 * of remote charts for vendoring ({@link dev.deployer.core.helm.ChartFetcher}).
 */
package dev.deployer.core.helm;
