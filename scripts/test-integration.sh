#!/usr/bin/env bash
# `npm run test:integration`: the integration files in parallel mocha workers, each with its own
# moto_server (test/support/hooks.ts). TDR_TEST_JOBS sets how many workers (default 4: most of a
# test's time is waiting on moto, a lease or a child process, so twice the 2 cores of CI pays);
# 1 runs every file in this one process instead. Arguments go to mocha.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${TDR_TEST_JOBS:-4}"
if ! [[ "$jobs" =~ ^[0-9]+$ ]] || ((jobs < 1 || jobs > 16)); then
  echo "TDR_TEST_JOBS: must be a whole number from 1 to 16 (1: one process, no workers), got '$jobs'" >&2
  exit 2
fi
if ((jobs == 1)); then
  exec mocha --config .mocharc.integration.json --no-parallel "$@"
fi
exec mocha --config .mocharc.integration.json --jobs "$jobs" "$@"
