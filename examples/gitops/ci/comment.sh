#!/usr/bin/env bash
# Posts FILE as the pull (merge) request's plan comment, or updates the comment an earlier push
# posted: the one whose body starts with the marker line ci/deploy.sh comment writes. So a pull
# request has one plan comment, always the latest build's.
#   ci/comment.sh github FILE   needs GH_TOKEN, GITHUB_REPOSITORY, PR_NUMBER (and the gh CLI)
#   ci/comment.sh gitlab FILE   needs GITLAB_API_TOKEN (a project access token with the api
#                               scope and at least the Reporter role), CI_API_V4_URL,
#                               CI_PROJECT_ID, CI_MERGE_REQUEST_IID (curl, jq); skips a merge
#                               request from a fork, which runs without this project's variables
set -euo pipefail
marker='<!-- deployer-plan -->'
[[ $# -eq 2 && -f $2 ]] || { echo "usage: ci/comment.sh github|gitlab FILE" >&2; exit 2; }
file="$2"
case "$1" in
  github)
    comments="repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments"
    id="$(gh api --paginate "$comments" --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | sed -n 1p)"
    if [[ -n $id ]]; then
      gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F body=@"$file" >/dev/null
    else
      gh api --method POST "$comments" -F body=@"$file" >/dev/null
    fi
    ;;
  gitlab)
    if [[ -z ${GITLAB_API_TOKEN:-} ]]; then
      # A merge request from a fork runs its pipeline in the fork's project, without this
      # project's CI/CD variables: there is no token to post with, and no note is expected.
      if [[ -n ${CI_MERGE_REQUEST_SOURCE_PROJECT_ID:-} && ${CI_MERGE_REQUEST_SOURCE_PROJECT_ID} != "${CI_MERGE_REQUEST_PROJECT_ID:-}" ]]; then
        echo "ci/comment.sh: a merge request from a fork has no GITLAB_API_TOKEN; the plan is in the job's artifacts, not in a note" >&2
        exit 0
      fi
      echo "ci/comment.sh: GITLAB_API_TOKEN is not set; set it to a project access token with the api scope and at least the Reporter role (CI_JOB_TOKEN cannot write notes)" >&2
      exit 1
    fi
    notes="$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes"
    auth="PRIVATE-TOKEN: $GITLAB_API_TOKEN"
    id="$(curl -fsS --header "$auth" "$notes?per_page=100&sort=asc" | jq -r --arg m "$marker" '[.[] | select(.body | startswith($m))][0].id // empty')"
    body="$(jq -Rs '{body: .}' "$file")"
    if [[ -n $id ]]; then
      curl -fsS --request PUT --header "$auth" --header 'Content-Type: application/json' --data "$body" "$notes/$id" >/dev/null
    else
      curl -fsS --request POST --header "$auth" --header 'Content-Type: application/json' --data "$body" "$notes" >/dev/null
    fi
    ;;
  *)
    echo "usage: ci/comment.sh github|gitlab FILE" >&2
    exit 2
    ;;
esac
