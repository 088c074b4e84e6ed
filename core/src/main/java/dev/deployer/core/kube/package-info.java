/**
 * Kubernetes helpers on fabric8: clients and kubeconfig contents per kube context ({@link
 * dev.deployer.core.kube.Clusters}), namespaces ({@link dev.deployer.core.kube.Namespaces}), a
 * Lease-based lock per release ({@link dev.deployer.core.kube.ReleaseLocks}), why a release's
 * resources are not ready ({@link dev.deployer.core.kube.ReleaseDiagnostics}) and the pods of a
 * release ({@link dev.deployer.core.kube.ReleasePods}), rollout restarts ({@link
 * dev.deployer.core.kube.RolloutRestart}), whether the API server can be reached ({@link
 * dev.deployer.core.kube.Unreachable}) and its version for offline rendering ({@link
 * dev.deployer.core.kube.KubeVersions}). Every call to the Kubernetes API outside the monitor's pod
 * probe is made here; this package depends only on {@code diff}.
 */
package dev.deployer.core.kube;
