package main

import (
	"errors"
	"fmt"
	"time"

	"helm.sh/helm/v4/pkg/kube"
	ri "helm.sh/helm/v4/pkg/release"
	release "helm.sh/helm/v4/pkg/release/v1"
	"helm.sh/helm/v4/pkg/storage/driver"
)

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func infoOf(r *release.Release) *releaseInfo {
	if r == nil {
		return nil
	}
	info := &releaseInfo{
		Name:        r.Name,
		Namespace:   r.Namespace,
		Revision:    r.Version,
		Manifest:    r.Manifest,
		Labels:      r.Labels,
		ApplyMethod: r.ApplyMethod,
		Config:      r.Config,
	}
	if r.Info != nil {
		info.Status = r.Info.Status.String()
		info.Description = r.Info.Description
		info.FirstDeployed = timeText(r.Info.FirstDeployed)
		info.LastDeployed = timeText(r.Info.LastDeployed)
	}
	if r.Chart != nil && r.Chart.Metadata != nil {
		info.ChartName = r.Chart.Metadata.Name
		info.ChartVersion = r.Chart.Metadata.Version
		info.AppVersion = r.Chart.Metadata.AppVersion
	}
	for _, h := range r.Hooks {
		events := make([]string, 0, len(h.Events))
		for _, e := range h.Events {
			events = append(events, string(e))
		}
		info.Hooks = append(info.Hooks, hookInfo{Name: h.Name, Kind: h.Kind, Path: h.Path, Manifest: h.Manifest, Events: events})
	}
	return info
}

func asRelease(r ri.Releaser) *release.Release {
	switch v := r.(type) {
	case *release.Release:
		return v
	case release.Release:
		return &v
	}
	return nil
}

// waitStrategy maps a plan's `wait` to Helm 4's strategies; no wait is Helm 4's default, which
// waits for hooks only.
func waitStrategy(name string) (kube.WaitStrategy, error) {
	switch name {
	case "", "hookOnly", "false":
		return kube.HookOnlyStrategy, nil
	case "watcher", "true":
		return kube.StatusWatcherStrategy, nil
	case "legacy":
		return kube.LegacyStrategy, nil
	}
	return "", &callError{Kind: kindInvalid, Message: fmt.Sprintf("unknown wait strategy %q (watcher, legacy or hookOnly)", name)}
}

// operationFailed is Helm's error for a failed operation, with the release as Helm left it.
func operationFailed(c *call, err error, r ri.Releaser) error {
	ce := asCallError(c, err)
	if errors.Is(err, driver.ErrReleaseNotFound) {
		ce.Kind = kindNotFound
	}
	if rel := asRelease(r); rel != nil && rel.Info != nil {
		ce.Release = infoOf(rel)
	}
	return ce
}

// waiting is how an operation waits: Helm's strategy, and the timeout that the request always
// gives (its default is deployer's, in Release.Deployment, and nowhere here).
func waiting(wait string, timeoutMs int64) (kube.WaitStrategy, time.Duration, error) {
	strategy, err := waitStrategy(wait)
	if err != nil {
		return "", 0, err
	}
	if timeoutMs <= 0 {
		return "", 0, &callError{Kind: kindInvalid, Message: fmt.Sprintf("timeout_ms must be positive, not %d", timeoutMs)}
	}
	return strategy, time.Duration(timeoutMs) * time.Millisecond, nil
}
