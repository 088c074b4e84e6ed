package main

import (
	"errors"
	"sort"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/storage/driver"
)

type rollbackRequest struct {
	clusterRequest
	ReleaseName string `json:"release_name"`
	// Revision 0 goes back to the revision before the current one, as `helm rollback` does.
	Revision      int    `json:"revision"`
	Wait          string `json:"wait"`
	WaitForJobs   bool   `json:"wait_for_jobs"`
	TimeoutMs     int64  `json:"timeout_ms"`
	Force         bool   `json:"force"`
	CleanupOnFail bool   `json:"cleanup_on_fail"`
	DisableHooks  bool   `json:"disable_hooks"`
	MaxHistory    int    `json:"max_history"`
	Description   string `json:"description"`
	ServerSide    string `json:"server_side"`
}

// opRollback is Helm's own rollback: the target revision's manifest applied with Helm's merge,
// its rollback hooks run, a new revision recorded.
func opRollback(c *call, raw []byte) (any, error) {
	var req rollbackRequest
	if err := decode(raw, &req); err != nil {
		return nil, err
	}
	strategy, err := waitStrategy(req.Wait)
	if err != nil {
		return nil, err
	}
	cfg, err := reachableConfig(c, req.clusterRequest)
	if err != nil {
		return nil, err
	}
	rb := action.NewRollback(cfg)
	rb.Version = req.Revision
	rb.WaitStrategy = strategy
	rb.WaitOptions = waitOptions(c)
	rb.WaitForJobs = req.WaitForJobs
	rb.Timeout = timeout(req.TimeoutMs)
	rb.ForceReplace = req.Force
	rb.CleanupOnFail = req.CleanupOnFail
	rb.DisableHooks = req.DisableHooks
	rb.MaxHistory = req.MaxHistory
	rb.Description = req.Description
	rb.ServerSideApply = req.ServerSide
	if rb.ServerSideApply == "" {
		rb.ServerSideApply = "auto"
	}
	runErr := rb.Run(req.ReleaseName)
	latest, err := cfg.Releases.Last(req.ReleaseName)
	if runErr != nil {
		return nil, operationFailed(c, runErr, latest)
	}
	if err != nil {
		return nil, operationFailed(c, err, nil)
	}
	return map[string]any{"release": infoOf(asRelease(latest))}, nil
}

type uninstallRequest struct {
	clusterRequest
	ReleaseName  string `json:"release_name"`
	Wait         string `json:"wait"`
	TimeoutMs    int64  `json:"timeout_ms"`
	KeepHistory  bool   `json:"keep_history"`
	DisableHooks bool   `json:"disable_hooks"`
	// DeletionPropagation is background (Helm's default), foreground or orphan.
	DeletionPropagation string `json:"deletion_propagation"`
	Description         string `json:"description"`
	IgnoreNotFound      bool   `json:"ignore_not_found"`
}

// opUninstall is Helm's own uninstall: pre/post-delete hooks, resource policies, history.
func opUninstall(c *call, raw []byte) (any, error) {
	var req uninstallRequest
	if err := decode(raw, &req); err != nil {
		return nil, err
	}
	strategy, err := waitStrategy(req.Wait)
	if err != nil {
		return nil, err
	}
	cfg, err := reachableConfig(c, req.clusterRequest)
	if err != nil {
		return nil, err
	}
	un := action.NewUninstall(cfg)
	un.WaitStrategy = strategy
	un.WaitOptions = waitOptions(c)
	un.Timeout = timeout(req.TimeoutMs)
	un.KeepHistory = req.KeepHistory
	un.DisableHooks = req.DisableHooks
	un.DeletionPropagation = req.DeletionPropagation
	if un.DeletionPropagation == "" {
		un.DeletionPropagation = "background"
	}
	un.Description = req.Description
	// Helm answers nothing at all for a release it did not find when told to ignore that.
	un.IgnoreNotFound = req.IgnoreNotFound
	res, err := un.Run(req.ReleaseName)
	if err == nil && res == nil {
		return map[string]any{"found": false}, nil
	}
	if err != nil {
		if errors.Is(err, driver.ErrReleaseNotFound) && req.IgnoreNotFound {
			return map[string]any{"found": false}, nil
		}
		return nil, operationFailed(c, err, nil)
	}
	out := map[string]any{"found": true}
	if res != nil && res.Info != "" {
		out["info"] = res.Info
	}
	return out, nil
}

type historyRequest struct {
	clusterRequest
	ReleaseName string `json:"release_name"`
	// Max limits the result to the newest revisions; 0 for all.
	Max int `json:"max"`
}

// opHistory lists a release's revisions, oldest first; an empty list when it was never installed.
func opHistory(c *call, raw []byte) (any, error) {
	var req historyRequest
	if err := decode(raw, &req); err != nil {
		return nil, err
	}
	cfg, err := reachableConfig(c, req.clusterRequest)
	if err != nil {
		return nil, err
	}
	h := action.NewHistory(cfg)
	versions, err := h.Run(req.ReleaseName)
	revisions := []*releaseInfo{}
	if err != nil && !errors.Is(err, driver.ErrReleaseNotFound) {
		return nil, &callError{Kind: "failed", Message: err.Error()}
	}
	for _, v := range versions {
		if r := asRelease(v); r != nil {
			revisions = append(revisions, infoOf(r))
		}
	}
	sortRevisions(revisions)
	if req.Max > 0 && len(revisions) > req.Max {
		revisions = revisions[len(revisions)-req.Max:]
	}
	return map[string]any{"revisions": revisions}, nil
}

func sortRevisions(revisions []*releaseInfo) {
	sort.Slice(revisions, func(i, j int) bool { return revisions[i].Revision < revisions[j].Revision })
}

type markFailedRequest struct {
	clusterRequest
	ReleaseName string `json:"release_name"`
	Revision    int    `json:"revision"`
	Description string `json:"description"`
}

// opMarkFailed records a revision left pending-* by a run that died as failed, through Helm's own
// storage, so that nothing stays pending once deployer has resolved it.
func opMarkFailed(c *call, raw []byte) (any, error) {
	var req markFailedRequest
	if err := decode(raw, &req); err != nil {
		return nil, err
	}
	cfg, err := reachableConfig(c, req.clusterRequest)
	if err != nil {
		return nil, err
	}
	stored, err := cfg.Releases.Get(req.ReleaseName, req.Revision)
	if err != nil {
		return nil, operationFailed(c, err, nil)
	}
	rel := asRelease(stored)
	if rel == nil || rel.Info == nil {
		return nil, &callError{Kind: "failed", Message: "unreadable release record"}
	}
	if !rel.Info.Status.IsPending() {
		return map[string]any{"release": infoOf(rel), "changed": false}, nil
	}
	rel.SetStatus("failed", req.Description)
	if err := cfg.Releases.Update(rel); err != nil {
		return nil, operationFailed(c, err, nil)
	}
	return map[string]any{"release": infoOf(rel), "changed": true}, nil
}
