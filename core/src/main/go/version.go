package main

import (
	"runtime"
	"runtime/debug"
)

// helmVersion is the version of Helm's SDK module linked into this library.
func helmVersion() string {
	return moduleVersion("helm.sh/helm/v4")
}

func moduleVersion(path string) string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == path {
				if dep.Replace != nil {
					return dep.Replace.Version
				}
				return dep.Version
			}
		}
	}
	return "unknown"
}

func opVersion(_ *call, _ []byte) (any, error) {
	return versionResult{
		Protocol: protocolVersion,
		Helm:     helmVersion(),
		Go:       runtime.Version(),
		Kube:     moduleVersion("k8s.io/client-go"),
	}, nil
}
