package main

import (
	"errors"
	"strings"
	"time"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart"
	"helm.sh/helm/v4/pkg/kube"
	ri "helm.sh/helm/v4/pkg/release"
	rcommon "helm.sh/helm/v4/pkg/release/common"
	"helm.sh/helm/v4/pkg/storage/driver"
	"k8s.io/apimachinery/pkg/api/meta"
)

func waitOptions(c *call) []kube.WaitOption {
	return []kube.WaitOption{kube.WithWaitContext(c.ctx), kube.WithStatusComputeWorkers(8)}
}

// opUpgrade installs the release or upgrades it, as `helm upgrade --install` does.
func opUpgrade(c *call, req upgradeRequest) (any, error) {
	p, err := prepare(c, req)
	if err != nil {
		return nil, err
	}
	if p.install {
		install := p.newInstall(c, req)
		rel, err := install.RunWithContext(c.ctx, p.chart, p.values)
		if err != nil {
			return nil, operationFailed(c, err, rel)
		}
		return upgradeResult{Installed: true, Release: infoOf(asRelease(rel))}, nil
	}
	upgrade := p.newUpgrade(c, req)
	rel, err := upgrade.RunWithContext(c.ctx, req.ReleaseName, p.chart, p.values)
	if err != nil {
		return nil, operationFailed(c, err, rel)
	}
	return upgradeResult{Release: infoOf(asRelease(rel))}, nil
}

// opPlanUpgrade runs the install or upgrade as a server dry run: Helm renders with the cluster
// (`lookup` sees live objects, capabilities are the cluster's) and checks what an install would
// conflict with, but writes nothing: no resource, no revision, no namespace.
func opPlanUpgrade(c *call, req upgradeRequest) (any, error) {
	p, err := prepare(c, req)
	if err != nil {
		return nil, err
	}
	out := planUpgradeResult{Exact: true, Latest: p.latest, Deployed: p.deployed}
	var rel ri.Releaser
	if p.install {
		install := p.newInstall(c, req)
		install.DryRunStrategy = action.DryRunServer
		rel, err = install.RunWithContext(c.ctx, p.chart, p.values)
		if err != nil && noKindMatch(err) {
			// The chart's CRDs are installed by the install itself, so the server cannot map the
			// objects that use them yet: render client-side instead, and say so.
			install = p.newInstall(c, req)
			install.DryRunStrategy = action.DryRunClient
			install.Replace = true
			rel, err = install.RunWithContext(c.ctx, p.chart, p.values)
			out.Exact = false
			out.Note = "rendered without the cluster: the chart's CRDs are not installed yet"
		}
	} else {
		upgrade := p.newUpgrade(c, req)
		upgrade.DryRunStrategy = action.DryRunServer
		rel, err = upgrade.RunWithContext(c.ctx, req.ReleaseName, p.chart, p.values)
	}
	if err != nil {
		return nil, failed(c, err)
	}
	out.Planned = infoOf(asRelease(rel))
	return out, nil
}

// noKindMatch tells whether err says an object's kind is unknown to the server.
func noKindMatch(err error) bool {
	var noMatch *meta.NoKindMatchError
	return errors.As(err, &noMatch) || strings.Contains(err.Error(), "no matches for kind") ||
		strings.Contains(err.Error(), "resource mapping not found")
}

// prepared is what an install or upgrade starts from: the chart, its values, and the release's
// history in the cluster.
type prepared struct {
	cfg         *action.Configuration
	wait        kube.WaitStrategy
	timeout     time.Duration
	chart       chart.Charter
	values      map[string]any
	install     bool
	uninstalled bool
	latest      *releaseInfo
	deployed    *releaseInfo
}

func prepare(c *call, req upgradeRequest) (*prepared, error) {
	if req.ReleaseName == "" {
		return nil, &callError{Kind: kindInvalid, Message: "release_name is required"}
	}
	strategy, limit, err := waiting(req.Wait, req.TimeoutMs)
	if err != nil {
		return nil, err
	}
	ch, vals, err := loadChart(req.chartRequest)
	if err != nil {
		return nil, err
	}
	cfg, err := reachableConfig(c, req.clusterRequest)
	if err != nil {
		return nil, err
	}
	versions, err := action.NewHistory(cfg).Run(req.ReleaseName)
	if err != nil && !errors.Is(err, driver.ErrReleaseNotFound) {
		return nil, failed(c, err)
	}
	p := &prepared{cfg: cfg, wait: strategy, timeout: limit, chart: ch, values: vals}
	for _, v := range versions {
		r := asRelease(v)
		if p.latest == nil || r.Version > p.latest.Revision {
			p.latest = infoOf(r)
		}
		if r.Info.Status == rcommon.StatusDeployed && (p.deployed == nil || r.Version > p.deployed.Revision) {
			p.deployed = infoOf(r)
		}
	}
	p.uninstalled = p.latest != nil && p.latest.Status == rcommon.StatusUninstalled.String()
	p.install = p.latest == nil || p.uninstalled
	return p, nil
}

func (p *prepared) newInstall(c *call, req upgradeRequest) *action.Install {
	install := action.NewInstall(p.cfg)
	install.ReleaseName = req.ReleaseName
	install.Namespace = req.Namespace
	install.CreateNamespace = req.CreateNamespace
	install.WaitStrategy = p.wait
	install.WaitOptions = waitOptions(c)
	install.WaitForJobs = req.WaitForJobs
	install.Timeout = p.timeout
	install.RollbackOnFailure = req.RollbackOnFailure
	install.ForceReplace = req.Force
	install.DisableHooks = req.DisableHooks
	install.SkipCRDs = req.SkipCRDs
	install.EnableDNS = req.EnableDNS
	install.Description = req.Description
	install.Labels = req.Labels
	install.DisableOpenAPIValidation = req.DisableOpenAPIValidation
	install.ServerSideApply = req.ServerSide != "false"
	install.Replace = p.uninstalled
	if pr := req.PostRenderer.orNil(); pr != nil {
		install.PostRenderer = pr
	}
	return install
}

func (p *prepared) newUpgrade(c *call, req upgradeRequest) *action.Upgrade {
	upgrade := action.NewUpgrade(p.cfg)
	upgrade.Namespace = req.Namespace
	upgrade.WaitStrategy = p.wait
	upgrade.WaitOptions = waitOptions(c)
	upgrade.WaitForJobs = req.WaitForJobs
	upgrade.Timeout = p.timeout
	upgrade.RollbackOnFailure = req.RollbackOnFailure
	upgrade.ForceReplace = req.Force
	upgrade.CleanupOnFail = req.CleanupOnFail
	upgrade.DisableHooks = req.DisableHooks
	upgrade.SkipCRDs = req.SkipCRDs
	upgrade.MaxHistory = req.MaxHistory
	upgrade.EnableDNS = req.EnableDNS
	upgrade.Description = req.Description
	upgrade.Labels = req.Labels
	upgrade.ResetValues = req.ResetValues
	upgrade.ReuseValues = req.ReuseValues
	upgrade.DisableOpenAPIValidation = req.DisableOpenAPIValidation
	upgrade.ServerSideApply = req.ServerSide
	if upgrade.ServerSideApply == "" {
		upgrade.ServerSideApply = "auto"
	}
	if pr := req.PostRenderer.orNil(); pr != nil {
		upgrade.PostRenderer = pr
	}
	return upgrade
}
