package main

import (
	"errors"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/kube"
	"helm.sh/helm/v4/pkg/storage/driver"
)

type upgradeRequest struct {
	clusterRequest
	chartRequest
	ReleaseName string `json:"release_name"`
	// Wait is watcher, legacy or hookOnly.
	Wait                     string            `json:"wait"`
	WaitForJobs              bool              `json:"wait_for_jobs"`
	TimeoutMs                int64             `json:"timeout_ms"`
	RollbackOnFailure        bool              `json:"rollback_on_failure"`
	Force                    bool              `json:"force"`
	CleanupOnFail            bool              `json:"cleanup_on_fail"`
	DisableHooks             bool              `json:"disable_hooks"`
	SkipCRDs                 bool              `json:"skip_crds"`
	MaxHistory               int               `json:"max_history"`
	EnableDNS                bool              `json:"enable_dns"`
	Description              string            `json:"description"`
	Labels                   map[string]string `json:"labels"`
	ResetValues              bool              `json:"reset_values"`
	ReuseValues              bool              `json:"reuse_values"`
	DisableOpenAPIValidation bool              `json:"disable_openapi_validation"`
	SkipSchemaValidation     bool              `json:"skip_schema_validation"`
	CreateNamespace          bool              `json:"create_namespace"`
	// ServerSide is "auto" (Helm 4's choice: what the release used before, server-side for a new
	// one), "true" or "false".
	ServerSide string `json:"server_side"`
}

type upgradeResult struct {
	Installed bool         `json:"installed"`
	Release   *releaseInfo `json:"release"`
}

func waitOptions(c *call) []kube.WaitOption {
	return []kube.WaitOption{kube.WithWaitContext(c.ctx), kube.WithStatusComputeWorkers(8)}
}

// opUpgrade installs the release or upgrades it, as `helm upgrade --install` does.
func opUpgrade(c *call, raw []byte) (any, error) {
	var req upgradeRequest
	if err := decode(raw, &req); err != nil {
		return nil, err
	}
	if req.ReleaseName == "" {
		return nil, &callError{Kind: "invalid", Message: "release_name is required"}
	}
	strategy, err := waitStrategy(req.Wait)
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
	history := action.NewHistory(cfg)
	history.Max = 1
	versions, err := history.Run(req.ReleaseName)
	uninstalled := len(versions) > 0 && asRelease(versions[len(versions)-1]).Info.Status == "uninstalled"
	if errors.Is(err, driver.ErrReleaseNotFound) || uninstalled {
		install := action.NewInstall(cfg)
		install.ReleaseName = req.ReleaseName
		install.Namespace = req.Namespace
		install.CreateNamespace = req.CreateNamespace
		install.WaitStrategy = strategy
		install.WaitOptions = waitOptions(c)
		install.WaitForJobs = req.WaitForJobs
		install.Timeout = timeout(req.TimeoutMs)
		install.RollbackOnFailure = req.RollbackOnFailure
		install.ForceReplace = req.Force
		install.DisableHooks = req.DisableHooks
		install.SkipCRDs = req.SkipCRDs
		install.EnableDNS = req.EnableDNS
		install.Description = req.Description
		install.Labels = req.Labels
		install.DisableOpenAPIValidation = req.DisableOpenAPIValidation
		install.SkipSchemaValidation = req.SkipSchemaValidation
		install.ServerSideApply = req.ServerSide != "false"
		install.Replace = uninstalled
		if pr := req.PostRenderer.orNil(); pr != nil {
			install.PostRenderer = pr
		}
		rel, err := install.RunWithContext(c.ctx, ch, vals)
		if err != nil {
			return nil, operationFailed(c, err, rel)
		}
		return upgradeResult{Installed: true, Release: infoOf(asRelease(rel))}, nil
	} else if err != nil {
		return nil, &callError{Kind: "failed", Message: err.Error()}
	}

	upgrade := action.NewUpgrade(cfg)
	upgrade.Namespace = req.Namespace
	upgrade.WaitStrategy = strategy
	upgrade.WaitOptions = waitOptions(c)
	upgrade.WaitForJobs = req.WaitForJobs
	upgrade.Timeout = timeout(req.TimeoutMs)
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
	upgrade.SkipSchemaValidation = req.SkipSchemaValidation
	upgrade.ServerSideApply = req.ServerSide
	if upgrade.ServerSideApply == "" {
		upgrade.ServerSideApply = "auto"
	}
	if pr := req.PostRenderer.orNil(); pr != nil {
		upgrade.PostRenderer = pr
	}
	rel, err := upgrade.RunWithContext(c.ctx, req.ReleaseName, ch, vals)
	if err != nil {
		return nil, operationFailed(c, err, rel)
	}
	return upgradeResult{Release: infoOf(asRelease(rel))}, nil
}
