package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart"
	"helm.sh/helm/v4/pkg/chart/loader"
	"helm.sh/helm/v4/pkg/cli/values"
	"helm.sh/helm/v4/pkg/getter"
)

// loadChart loads a chart as `helm install` does, refusing one whose dependencies are missing.
func loadChart(req chartRequest) (chart.Charter, map[string]any, error) {
	if req.Chart == "" {
		return nil, nil, &callError{Kind: kindInvalid, Message: "no chart given"}
	}
	ch, err := loader.Load(req.Chart)
	if err != nil {
		return nil, nil, &callError{Kind: kindRender, Message: err.Error()}
	}
	ac, err := chart.NewAccessor(ch)
	if err != nil {
		return nil, nil, &callError{Kind: kindRender, Message: err.Error()}
	}
	if !ac.IsRoot() {
		return nil, nil, &callError{Kind: kindRender, Message: "not a root chart"}
	}
	if meta, ok := ac.MetadataAsMap()["type"].(string); ok && meta == "library" {
		return nil, nil, &callError{Kind: kindRender, Message: "library charts are not installable"}
	}
	if deps := ac.MetaDependencies(); len(deps) > 0 {
		if err := action.CheckDependencies(ch, deps); err != nil {
			return nil, nil, &callError{Kind: kindRender, Message: "missing chart dependencies (run a dependency build, or leave skip_dependency_update off): " + err.Error()}
		}
	}
	opts := valuesOf(req)
	vals, err := opts.MergeValues(getter.Providers{})
	if err != nil {
		return nil, nil, &callError{Kind: kindRender, Message: err.Error()}
	}
	return ch, vals, nil
}

func (p *postRenderCmd) Run(in *bytes.Buffer) (*bytes.Buffer, error) {
	cmd := exec.Command(p.Command, p.Args...)
	cmd.Dir = p.Dir
	cmd.Stdin = in
	var out, stderr bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("post-renderer %s: %w: %s", p.Command, err, strings.TrimSpace(stderr.String()))
	}
	if strings.TrimSpace(out.String()) == "" {
		return nil, fmt.Errorf("post-renderer %s printed nothing", p.Command)
	}
	return &out, nil
}

func (p *postRenderCmd) orNil() interface {
	Run(*bytes.Buffer) (*bytes.Buffer, error)
} {
	if p == nil || p.Command == "" {
		return nil
	}
	return p
}

func valuesOf(req chartRequest) values.Options {
	return values.Options{ValueFiles: req.ValuesFiles}
}
