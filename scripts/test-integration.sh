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
# (each file's wall time in its worker, README "How long the tests take"; the two Jenkins files
# where a fresh clone has no cached lint verdict and no built Job DSL engine). Since a saved
# sandbox is restored rather than stood up again (test/support/release.ts `sandboxUp`), the crash
# tests, which wait on leases and child processes, are the longest. Every other file follows in
# alphabetical order. A file far longer than the rest is split (the train crash test is
# three files, test/support/train-crash.ts), since a worker takes a whole file. A name here that
# matches no file is an error, so the list cannot rot silently.
set -euo pipefail
cd "$(dirname "$0")/.."
# Node's compile cache (https://nodejs.org/api/module.html#module-compile-cache): the workers and
# every `tdr` process a test spawns load the same modules (the AWS SDK, the engine); V8's compiled
# code is kept in .cache/ (git-ignored) and reused, a quarter less CPU to load the engine (issue 21).
export NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE:-$PWD/.cache/node-compile}"
jobs="${TDR_TEST_JOBS:-4}"
if ! [[ "$jobs" =~ ^[0-9]+$ ]] || ((jobs < 1 || jobs > 16)); then
  echo "TDR_TEST_JOBS: must be a whole number from 1 to 16 (1: one process, no workers), got '$jobs'" >&2
  exit 2
fi

SLOW_FIRST=(
  test/resilience/train-crash-mid.test.ts
  test/resilience/crash.test.ts
  test/resilience/train-crash.test.ts
  test/resilience/train-crash-end.test.ts
  test/sandbox-bootstrap.test.ts
  test/jenkins-groovy.test.ts
  test/release-canary.test.ts
  test/release-status.test.ts
  test/resilience/faults.test.ts
  test/jenkins-jobdsl.test.ts
  test/report-reader.test.ts
  test/standup-ledger.test.ts
  test/release-train-board.test.ts
  test/release-concurrency.test.ts
  test/release-train.test.ts
  test/release-trust.test.ts
  test/moto-harness.test.ts
  test/report-sandbox-browser.test.ts
  test/release-promote.test.ts
  test/release-lambda-canary.test.ts
  test/release-grafana.test.ts
  test/resilience/function-canary-crash.test.ts
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
