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

type dependencyRequest struct {
	Chart string `json:"chart"`
	// Update re-resolves the dependencies (`helm dependency update`) instead of building them
	// from Chart.lock (`helm dependency build`).
	Update bool `json:"update"`
	// SkipRefresh leaves repository indexes as they are cached.
	SkipRefresh bool `json:"skip_refresh"`
}

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
func opDependencyBuild(c *call, raw []byte) (any, error) {
	var req dependencyRequest
	if err := decode(raw, &req); err != nil {
		return nil, err
	}
	settings := helmSettings()
	var out bytes.Buffer
	rc, err := registryClient(&out)
	if err != nil {
		return nil, err
	}
	man := &downloader.Manager{
		Out:              &out,
		ChartPath:        req.Chart,
		SkipUpdate:       req.SkipRefresh,
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
		return nil, &callError{Kind: "failed", Message: fmt.Sprintf("dependencies of %s: %v", req.Chart, err)}
	}
	return map[string]any{"output": out.String()}, nil
}

type packageRequest struct {
	Chart       string `json:"chart"`
	Destination string `json:"destination"`
	Version     string `json:"version"`
	AppVersion  string `json:"app_version"`
}

// opPackage packs a chart directory into a .tgz, as `helm package` does.
func opPackage(c *call, raw []byte) (any, error) {
	var req packageRequest
	if err := decode(raw, &req); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(req.Destination, 0o755); err != nil {
		return nil, err
	}
	p := action.NewPackage()
	p.Destination = req.Destination
	p.Version = req.Version
	p.AppVersion = req.AppVersion
	path, err := p.Run(req.Chart, nil)
	if err != nil {
		return nil, &callError{Kind: "failed", Message: err.Error()}
	}
	abs, _ := filepath.Abs(path)
	return map[string]any{"path": abs}, nil
}

type lintRequest struct {
	chartRequest
	Namespace   string `json:"namespace"`
	KubeVersion string `json:"kube_version"`
	Strict      bool   `json:"strict"`
}

type lintMessage struct {
	Severity string `json:"severity"`
	Path     string `json:"path"`
	Message  string `json:"message"`
}

// opLint runs Helm's chart lint.
func opLint(c *call, raw []byte) (any, error) {
	var req lintRequest
	if err := decode(raw, &req); err != nil {
		return nil, err
	}
	opts := valuesOf(req.chartRequest)
	vals, err := opts.MergeValues(getter.Providers{})
	if err != nil {
		return nil, &callError{Kind: "render", Message: err.Error()}
	}
	l := action.NewLint()
	l.Strict = req.Strict
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
		severity := "info"
		switch m.Severity {
		case support.ErrorSev:
			severity = "error"
		case support.WarningSev:
			severity = "warning"
		}
		messages = append(messages, lintMessage{Severity: severity, Path: m.Path, Message: m.Err.Error()})
	}
	errs := []string{}
	for _, e := range res.Errors {
		errs = append(errs, e.Error())
	}
	return map[string]any{"messages": messages, "errors": errs}, nil
}
