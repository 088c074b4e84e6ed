package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart/v2/lint/support"
	"helm.sh/helm/v4/pkg/cli"
	"helm.sh/helm/v4/pkg/downloader"
	"helm.sh/helm/v4/pkg/getter"
	"helm.sh/helm/v4/pkg/registry"
)

// helmSettings is Helm's environment (repositories, caches) read from HELM_* variables, as the
// CLI reads it.
func helmSettings() *cli.EnvSettings {
	return cli.New()
}

func registryClient(out io.Writer) (*registry.Client, error) {
	settings := helmSettings()
	return registry.NewClient(
		registry.ClientOptWriter(out),
		registry.ClientOptCredentialsFile(settings.RegistryConfig),
	)
}

// opDependencyBuild fetches a local chart's dependencies into its charts/ directory.
func opDependencyBuild(c *call, req dependencyRequest) (any, error) {
	settings := helmSettings()
	var out bytes.Buffer
	rc, err := registryClient(&out)
	if err != nil {
		return nil, err
	}
	man := &downloader.Manager{
		Out:              &out,
		ChartPath:        req.Chart,
		Getters:          getter.All(settings),
		RegistryClient:   rc,
		RepositoryConfig: settings.RepositoryConfig,
		RepositoryCache:  settings.RepositoryCache,
		ContentCache:     settings.ContentCache,
	}
	if req.Update {
		err = man.Update()
	} else {
		err = man.Build()
	}
	if err != nil {
		return nil, &callError{Kind: kindFailed, Message: fmt.Sprintf("dependencies of %s: %v", req.Chart, err)}
	}
	return dependencyResult{Output: out.String()}, nil
}

// opPackage packs a chart directory into a .tgz, as `helm package` does.
func opPackage(c *call, req packageRequest) (any, error) {
	if err := os.MkdirAll(req.Destination, 0o755); err != nil {
		return nil, err
	}
	p := action.NewPackage()
	p.Destination = req.Destination
	path, err := p.Run(req.Chart, nil)
	if err != nil {
		return nil, failed(c, err)
	}
	abs, _ := filepath.Abs(path)
	return packageResult{Path: abs}, nil
}

// opLint runs Helm's chart lint.
func opLint(c *call, req lintRequest) (any, error) {
	opts := valuesOf(req.chartRequest)
	vals, err := opts.MergeValues(getter.Providers{})
	if err != nil {
		return nil, &callError{Kind: kindRender, Message: err.Error()}
	}
	l := action.NewLint()
	l.Namespace = req.Namespace
	if req.KubeVersion != "" {
		kv, err := parseKubeVersion(req.KubeVersion)
		if err != nil {
			return nil, err
		}
		l.KubeVersion = kv
	}
	res := l.Run([]string{req.Chart}, vals)
	messages := []lintMessage{}
	for _, m := range res.Messages {
		severity := severityInfo
		switch m.Severity {
		case support.ErrorSev:
			severity = severityError
		case support.WarningSev:
			severity = severityWarning
		}
		messages = append(messages, lintMessage{Severity: severity, Path: m.Path, Message: m.Err.Error()})
	}
	errs := []string{}
	for _, e := range res.Errors {
		errs = append(errs, e.Error())
	}
	return lintResult{Messages: messages, Errors: errs}, nil
}
