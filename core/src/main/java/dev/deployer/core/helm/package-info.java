/**
 * The Helm engine behind one interface ({@link dev.deployer.core.helm.HelmEngine}): deployer's own
 * binding to Helm v4's SDK ({@link dev.deployer.core.helm.NativeHelmEngine}, a Go library built
 * from {@code core/src/main/go}), with its typed requests and the release revisions Helm records;
 * and the fetching of remote charts for vendoring ({@link dev.deployer.core.helm.ChartFetcher}).
 */
package dev.deployer.core.helm;
