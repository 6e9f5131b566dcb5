#!/usr/bin/env bash
# `npm run test:integration`: the integration files in parallel mocha workers, each with its own
# moto_server (test/support/hooks.ts). TDR_TEST_JOBS sets how many workers (default 4: most of a
# test's time is waiting on moto, a lease or a child process, so twice the 2 cores of CI pays);
# 1 runs every file in this one process instead. Arguments go to mocha.
#
# Files are handed to the workers in the order given here, one file per free worker (mocha
# --parallel queues them in order, lib/nodejs/parallel-buffered-runner.cjs), and the glob's order
# is alphabetical: the two heaviest files (test/resilience/crash, release-status, ~110 s each of
# tests) came near the end, so three workers idled while the last one ran them. The heaviest files
# go first (longest-processing-time first), in the order of SLOW_FIRST below, measured per file
# from the integration phase of a fresh-clone `bash .ci/run` (the sum of each file's test times,
# README "Tests"); every other file follows in alphabetical order. A name here that matches no
# file is an error, so the list cannot rot silently.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${TDR_TEST_JOBS:-4}"
if ! [[ "$jobs" =~ ^[0-9]+$ ]] || ((jobs < 1 || jobs > 16)); then
  echo "TDR_TEST_JOBS: must be a whole number from 1 to 16 (1: one process, no workers), got '$jobs'" >&2
  exit 2
fi

SLOW_FIRST=(
  test/resilience/train-crash.test.ts
  test/resilience/crash.test.ts
  test/release-train.test.ts
  test/release-lambda-canary.test.ts
  test/release-status.test.ts
  test/jenkins-groovy.test.ts
  test/release-promote.test.ts
  test/sandbox-bootstrap.test.ts
  test/release-task.test.ts
  test/release-trust.test.ts
  test/resilience/faults.test.ts
  test/release-function.test.ts
  test/release-sandbox.test.ts
  test/release-concurrency.test.ts
  test/release-maintenance.test.ts
  test/release-deploy.test.ts
  test/jenkins-jobdsl.test.ts
  test/resilience/function-canary-crash.test.ts
  test/release-progressive-strategies.test.ts
)
for f in "${SLOW_FIRST[@]}"; do
  [ -f "$f" ] || {
    echo "scripts/test-integration.sh: SLOW_FIRST names $f, which does not exist: update the list" >&2
    exit 2
  }
done
# The suite is every test/**/*.test.{ts,tsx} outside test/support/ (helpers and their own unit
# tests, run by the unit phase). This is its one list: .mocharc.integration.json has no spec,
# since mocha appends a config's spec to the files given here without removing duplicates
# (lib/cli/options.cjs), which ran every file twice.
files=("${SLOW_FIRST[@]}")
while IFS= read -r f; do
  [[ " ${SLOW_FIRST[*]} " == *" $f "* ]] || files+=("$f")
done < <(find test -path test/support -prune -o -type f \( -name '*.test.ts' -o -name '*.test.tsx' \) -print | LC_ALL=C sort)

if ((jobs == 1)); then
  exec mocha --config .mocharc.integration.json --no-parallel "${files[@]}" "$@"
fi
exec mocha --config .mocharc.integration.json --jobs "$jobs" "${files[@]}" "$@"
