#!/bin/sh
# The version a build of the current commit gets, printed on stdout.
#   next-version BRANCH MAIN_BRANCH
# On MAIN_BRANCH: the next release tag, v followed by one more than the highest vN tag of the
# repository (v1 for the first; git tags are the versions, never a CI counter), or the vN that
# already tags this commit (a re-run of one commit never takes a second version).
# On any other branch: branch-<name>-<sha7>, the name lowercased, every run of other characters one
# hyphen, cut to fit a 128-character image tag. services/versions.ts does the same (a test holds
# the two equal). Installed in the build agent image as `next-version`.
set -eu
export LC_ALL=C

if [ "$#" -ne 2 ]; then
  echo "usage: next-version BRANCH MAIN_BRANCH" >&2
  exit 2
fi
branch=$1
main=$2
head=$(git rev-parse HEAD)

release_tags() {
  git tag --list "$@" 'v*' | grep -E '^v[0-9]+$' || true
}

if [ "$branch" = "$main" ]; then
  current=$(release_tags --points-at "$head" | sed 's/^v//' | sort -n | tail -n 1)
  if [ -n "$current" ]; then
    echo "v$current"
    exit 0
  fi
  highest=$(release_tags | sed 's/^v//' | sort -n | tail -n 1)
  echo "v$(( ${highest:-0} + 1 ))"
  exit 0
fi

# 128 = "branch-" (7) + name (at most 113) + "-" + 7 hex digits.
name=$(printf '%s' "$branch" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9' '-' | tr -s '-' | sed 's/^-//; s/-$//' | cut -c1-113 | sed 's/-$//')
if [ -z "$name" ]; then
  echo "next-version: branch '$branch' has no letters or digits to name a version by" >&2
  exit 2
fi
echo "branch-$name-$(printf '%s' "$head" | cut -c1-7)"
