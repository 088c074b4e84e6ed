#!/usr/bin/env bash
# On the default branch after a merge: downloads the plan directories that the merge request's
# pipeline built for its last commit (the artifacts of its `plan` job) into environments/, so
# that what is deployed is what was reviewed. Refuses when that commit has no successful build.
# Needs GITLAB_API_TOKEN (read_api scope), CI_API_V4_URL, CI_PROJECT_ID, CI_COMMIT_SHA; curl,
# jq and unzip.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
api="$CI_API_V4_URL/projects/$CI_PROJECT_ID"
auth="PRIVATE-TOKEN: $GITLAB_API_TOKEN"
get() { curl -fsS --header "$auth" "$api/$1"; }

mr="$(get "repository/commits/$CI_COMMIT_SHA/merge_requests" | jq -c '[.[] | select(.state == "merged")][0] // empty')"
if [[ -z $mr ]]; then
  echo "ci/fetch-plan-gitlab.sh: $CI_COMMIT_SHA is not the merge of a merge request; nothing is deployed" >&2
  exit 1
fi
iid="$(jq -r .iid <<<"$mr")"
head="$(jq -r .sha <<<"$mr")"
pipeline="$(get "merge_requests/$iid/pipelines" | jq -r --arg sha "$head" '[.[] | select(.sha == $sha and .status == "success")][0].id // empty')"
if [[ -z $pipeline ]]; then
  echo "ci/fetch-plan-gitlab.sh: merge request !$iid has no successful pipeline for its last commit $head; nothing is deployed" >&2
  exit 1
fi
job="$(get "pipelines/$pipeline/jobs?scope[]=success" | jq -r '[.[] | select(.name == "plan")][0].id // empty')"
if [[ -z $job ]]; then
  echo "ci/fetch-plan-gitlab.sh: pipeline $pipeline of merge request !$iid has no successful plan job" >&2
  exit 1
fi
zip="$(mktemp)"
trap 'rm -f "$zip"' EXIT
get "jobs/$job/artifacts" >"$zip"
(cd "$root" && unzip -q -o "$zip" 'environments/*')
echo "plan directories of merge request !$iid (commit $head, job $job)" >&2
