package main

import (
	"helm.sh/helm/v4/pkg/action"
	rcommon "helm.sh/helm/v4/pkg/release/common"
)

// opMarkFailed records a revision left pending-* by a run that died as failed, through Helm's own
// storage, so that nothing stays pending once deployer has resolved it.
func opMarkFailed(c *call, req markFailedRequest, cfg *action.Configuration) (any, error) {
	stored, err := cfg.Releases.Get(req.ReleaseName, req.Revision)
	if err != nil {
		return nil, operationFailed(c, err, nil)
	}
	rel := asRelease(stored)
	if rel == nil || rel.Info == nil {
		return nil, &callError{Kind: kindFailed, Message: "unreadable release record"}
	}
	// An uninstall cut short leaves "uninstalling", which Helm does not count as pending.
	if !rel.Info.Status.IsPending() && rel.Info.Status != rcommon.StatusUninstalling {
		return markFailedResult{Release: infoOf(rel), Changed: false}, nil
	}
	rel.SetStatus(rcommon.StatusFailed, req.Description)
	if err := cfg.Releases.Update(rel); err != nil {
		return nil, operationFailed(c, err, nil)
	}
	return markFailedResult{Release: infoOf(rel), Changed: true}, nil
}
