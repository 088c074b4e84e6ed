package main

import (
	"errors"
	"sort"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/storage/driver"
)

// opHistory lists a release's revisions, oldest first; an empty list when it was never installed.
func opHistory(c *call, req historyRequest, cfg *action.Configuration) (any, error) {
	h := action.NewHistory(cfg)
	versions, err := h.Run(req.ReleaseName)
	revisions := []*releaseInfo{}
	if err != nil && !errors.Is(err, driver.ErrReleaseNotFound) {
		return nil, failed(c, err)
	}
	for _, v := range versions {
		if r := asRelease(v); r != nil {
			revisions = append(revisions, infoOf(r))
		}
	}
	sortRevisions(revisions)
	return historyResult{Revisions: revisions}, nil
}

func sortRevisions(revisions []*releaseInfo) {
	sort.Slice(revisions, func(i, j int) bool { return revisions[i].Revision < revisions[j].Revision })
}
