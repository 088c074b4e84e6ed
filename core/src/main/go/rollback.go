package main

import (
	"helm.sh/helm/v4/pkg/action"
)

// opRollback is Helm's own rollback: the target revision's manifest applied with Helm's merge,
// its rollback hooks run, a new revision recorded.
func opRollback(c *call, req rollbackRequest, cfg *action.Configuration) (any, error) {
	strategy, limit, err := waiting(req.Wait, req.TimeoutMs)
	if err != nil {
		return nil, err
	}
	rb := action.NewRollback(cfg)
	rb.Version = req.Revision
	rb.WaitStrategy = strategy
	rb.WaitOptions = waitOptions(c)
	rb.WaitForJobs = req.WaitForJobs
	rb.Timeout = limit
	rb.ForceReplace = req.Force
	rb.CleanupOnFail = req.CleanupOnFail
	rb.DisableHooks = req.DisableHooks
	rb.MaxHistory = req.MaxHistory
	rb.Description = req.Description
	rb.ServerSideApply = "auto"
	runErr := rb.Run(req.ReleaseName)
	latest, err := cfg.Releases.Last(req.ReleaseName)
	if runErr != nil {
		return nil, operationFailed(c, runErr, latest)
	}
	if err != nil {
		return nil, operationFailed(c, err, nil)
	}
	return rollbackResult{Release: infoOf(asRelease(latest))}, nil
}
