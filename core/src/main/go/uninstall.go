package main

import (
	"errors"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/storage/driver"
)

// opUninstall is Helm's own uninstall: pre/post-delete hooks, resource policies, history.
func opUninstall(c *call, req uninstallRequest, cfg *action.Configuration) (any, error) {
	strategy, limit, err := waiting(req.Wait, req.TimeoutMs)
	if err != nil {
		return nil, err
	}
	un := action.NewUninstall(cfg)
	un.WaitStrategy = strategy
	un.WaitOptions = waitOptions(c)
	un.Timeout = limit
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
		return uninstallResult{Found: false}, nil
	}
	if err != nil {
		if errors.Is(err, driver.ErrReleaseNotFound) && req.IgnoreNotFound {
			return uninstallResult{Found: false}, nil
		}
		return nil, operationFailed(c, err, nil)
	}
	return uninstallResult{Found: true, Info: res.Info}, nil
}
