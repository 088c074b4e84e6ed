#!/usr/bin/env bash
# The deployer commands of this repository's CI, in one place: the GitHub workflow
# (.github/workflows/deploy.yml), the GitLab pipeline (.gitlab-ci.yml) and deployer's own test of
# this example run them, so what is tested is what CI runs.
#
#   ci/deploy.sh build ENV      check environments/ENV/deployer.yml and build its plan directory,
#                               environments/ENV/.deployer (with KUBECONFIG set: diffed against
#                               the cluster, which also records each release's live revision)
#   ci/deploy.sh comment ENV... the pull-request comment: every ENV's summary.md, under a marker
#                               line that lets the next push find and update the comment
#   ci/deploy.sh apply ENV      check environments/ENV/.deployer and deploy it: on GitHub, the one
#                               `build` just made from main in the same job; on GitLab, the one
#                               downloaded from the merge request's build, not rebuilt
#
# DEPLOYER names the deployer command (default: deployer on the PATH).
set -euo pipefail
# Paths are relative to the repository's root, as deployer's messages then show them.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
deployer="${DEPLOYER:-deployer}"
marker='<!-- deployer-plan -->'

usage() {
  echo "usage: ci/deploy.sh build ENV | comment ENV... | apply ENV" >&2
  exit 2
}

environment() {
  local env="$1"
  if [[ ! -f environments/$env/deployer.yml ]]; then
    echo "ci/deploy.sh: no environment $env (no environments/$env/deployer.yml)" >&2
    exit 2
  fi
}

[[ $# -ge 2 ]] || usage
command="$1"
shift
case "$command" in
  build)
    [[ $# -eq 1 ]] || usage
    environment "$1"
    plan="environments/$1/deployer.yml"
    # A live diff needs the cluster: a pull request from a fork gets no kubeconfig, and its
    # summary then lists the releases without comparing them.
    mode=none
    if [[ -n ${KUBECONFIG:-} && -s ${KUBECONFIG%%:*} ]]; then
      mode=live
    fi
    "$deployer" validate -f "$plan"
    "$deployer" build -f "$plan" --plandir "environments/$1/.deployer" --diff-mode "$mode"
    ;;
  comment)
    body="$(mktemp)"
    trap 'rm -f "$body"' EXIT
    {
      echo "$marker"
      echo "## deployer plan"
      for env in "$@"; do
        environment "$env"
        summary="environments/$env/.deployer/summary.md"
        if [[ ! -f $summary ]]; then
          echo "ci/deploy.sh: $summary is missing; run ci/deploy.sh build $env first" >&2
          exit 1
        fi
        echo
        # Each summary's headings (its first names the project) go two levels down.
        sed 's/^#/###/' "$summary"
      done
    } >"$body"
    # GitHub refuses comments over 65,536 characters; the diffs of a large change can be longer.
    if [[ $(wc -c <"$body") -gt 60000 ]]; then
      head -c 60000 "$body"
      printf '\n```\n\n</details>\n\nThe comment is cut at 60,000 characters: the full summary.md of each environment is in the `plan` artifact.\n'
    else
      cat "$body"
    fi
    echo
    echo "Each environment's plan directory is in the \`plan\` artifact of this build."
    ;;
  apply)
    [[ $# -eq 1 ]] || usage
    environment "$1"
    plandir="environments/$1/.deployer"
    if [[ ! -f $plandir/planfile ]]; then
      echo "ci/deploy.sh: $plandir has no planfile; run ci/deploy.sh build $1 first, or download the merge request's plan artifact into environments/" >&2
      exit 1
    fi
    # validate --plandir refuses a plan directory whose files, or whose local charts in this
    # checkout, differ from what was built and reviewed; up refuses (exit 4) a plan whose
    # releases changed in the cluster since the build.
    "$deployer" validate --plandir "$plandir"
    "$deployer" up --plandir "$plandir"
    ;;
  *)
    usage
    ;;
esac
