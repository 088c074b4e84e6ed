package main

import "helm.sh/helm/v4/pkg/kube"

// Helm names the field manager of what it applies after the program, which here would be
// "java". The Helm CLI's name is used instead, so that `helm upgrade` continues a release deployer
// wrote (and the reverse) without server-side apply conflicts over fields each thinks it owns.
func init() {
	kube.ManagedFieldsManager = "helm"
}
