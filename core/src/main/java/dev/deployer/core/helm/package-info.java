/**
 * The Helm engine behind one interface ({@link dev.deployer.core.helm.HelmEngine}), the fetching of
 * remote charts for vendoring ({@link dev.deployer.core.helm.ChartFetcher}), and what helm-java
 * lacks, done on Helm's own release records in the cluster: reading and pruning them ({@link
 * dev.deployer.core.helm.ReleaseStore}), rollback and the resolution of releases stuck pending
 * ({@link dev.deployer.core.helm.ReleaseRollback}).
 */
package dev.deployer.core.helm;
