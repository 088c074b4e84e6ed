package main

import (
	"fmt"
	"strings"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart/common"
	release "helm.sh/helm/v4/pkg/release/v1"
)

// opRender renders as `helm template` does: client-only, so Helm never contacts a cluster and
// `lookup` returns nothing.
func opRender(c *call, req renderRequest) (any, error) {
	if req.ReleaseName == "" || req.Namespace == "" {
		return nil, &callError{Kind: kindInvalid, Message: "release_name and namespace are required"}
	}
	ch, vals, err := loadChart(req.chartRequest)
	if err != nil {
		return nil, err
	}
	cfg := action.NewConfiguration(action.ConfigurationSetLogger(&eventHandler{emit: c.emit}))
	install := action.NewInstall(cfg)
	install.DryRunStrategy = action.DryRunClient
	install.Replace = true
	install.ReleaseName = req.ReleaseName
	install.Namespace = req.Namespace
	if pr := req.PostRenderer.orNil(); pr != nil {
		install.PostRenderer = pr
	}
	if req.KubeVersion != "" {
		kv, err := parseKubeVersion(req.KubeVersion)
		if err != nil {
			return nil, err
		}
		install.KubeVersion = kv
	}
	rel, err := install.RunWithContext(c.ctx, ch, vals)
	if err != nil {
		return nil, &callError{Kind: kindRender, Message: err.Error()}
	}
	r, ok := rel.(*release.Release)
	if !ok {
		return nil, fmt.Errorf("unexpected release type %T", rel)
	}
	return renderResult{Manifest: templateOutput(r), Notes: r.Info.Notes}, nil
}

// templateOutput lays out a release as `helm template` prints it.
func templateOutput(r *release.Release) string {
	var b strings.Builder
	manifest := strings.TrimSpace(r.Manifest)
	if manifest != "" {
		b.WriteString(manifest)
		b.WriteString("\n")
	}
	for _, h := range r.Hooks {
		fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", h.Path, h.Manifest)
	}
	return b.String()
}

func parseKubeVersion(text string) (*common.KubeVersion, error) {
	kv, err := common.ParseKubeVersion(text)
	if err != nil {
		return nil, &callError{Kind: kindInvalid, Message: fmt.Sprintf("invalid kube version %q: %v", text, err)}
	}
	return kv, nil
}
