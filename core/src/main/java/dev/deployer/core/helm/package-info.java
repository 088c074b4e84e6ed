/**
 * The Helm engine behind one interface ({@link dev.deployer.core.helm.HelmEngine}): deployer's own
 * binding to Helm v4's SDK ({@link dev.deployer.core.helm.NativeHelmEngine}, a Go library built
 * from {@code core/src/main/go}), with its typed requests and the release revisions Helm records.
 * Fetching remote charts is {@link dev.deployer.core.chart}'s.
 */
package dev.deployer.core.helm;
