/**
 * Kubernetes helpers on fabric8: clients and kubeconfig contents per kube context ({@link
 * dev.deployer.core.kube.Clusters}), namespaces ({@link dev.deployer.core.kube.Namespaces}), a
 * Lease-based lock per release ({@link dev.deployer.core.kube.ReleaseLocks}), why a release's
 * resources are not ready ({@link dev.deployer.core.kube.ReleaseDiagnostics}) and the pods of a
 * release ({@link dev.deployer.core.kube.ReleasePods}).
 */
package dev.deployer.core.kube;
