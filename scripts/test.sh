#!/usr/bin/env bash
# `npm test`: typecheck, lint, unit tests, integration tests, AWS-call check, each phase timed (so a
# slow phase is seen where it happens, with the machine's load, since on a shared machine a time
# means little without it). package.json runs this through scripts/use-node.sh, so it runs on the
# pinned Node whatever `node` the machine has.
#   scripts/test.sh [PHASE...]   phases: typecheck lint unit integration aws-calls (default: all five;
#   aws-calls simulates every AWS call the integration phase recorded against the role that made it)
#
# typecheck, lint and unit need nothing from each other, and each keeps one core busy at most
# (tsc, eslint and one mocha process are single-threaded), so they run at the same time on CI's
# two cores (75 s one after another on a fresh clone, README "How long the tests take"). unit prints as it runs; typecheck and lint write to a file each, printed whole when
# the phase ends, so no two outputs interleave. Every phase's exit status counts: if any of the
# three fails, the run fails and the later phases (integration, aws-calls) do not start.
# TDR_TEST_SERIAL=1 runs every phase one after another, as before.
set -uo pipefail
cd "$(dirname "$0")/.."

# Node's compile cache (https://nodejs.org/api/module.html#module-compile-cache): the workers and
# every `tdr` process a test spawns load the same modules (the AWS SDK, the engine); V8's compiled
# code is kept in .cache/ (git-ignored) and reused, a quarter less CPU to load the engine (issue 21).
export NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE:-$PWD/.cache/node-compile}"
phases=("$@")
((${#phases[@]})) || phases=(typecheck lint unit integration aws-calls)

load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'; }
now() { date +%s%N; }
secs() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }

command_of() {
  case "$1" in
    typecheck) cmd=(npm run --silent typecheck) ;;
    lint) cmd=(npm run --silent lint) ;;
    unit) cmd=(npm run --silent test:unit) ;;
    integration) cmd=(npm run --silent test:integration) ;;
    aws-calls) cmd=(npm run --silent check:aws-calls) ;;
    *)
      echo "test: unknown phase '$1'; valid: typecheck lint unit integration aws-calls" >&2
      exit 2
      ;;
  esac
}
for phase in "${phases[@]}"; do command_of "$phase"; done # every name checked before anything runs

echo "test: Node $(node --version) ($(command -v node)), $(nproc 2>/dev/null || echo '?') cores, load $(load)" >&2
summary=()
total_start=$(now)
failed=0

finish() { # phase status ms [note]
  local line
  line=$(printf '%-12s %6s s  rc=%d  load after: %s%s' "$1" "$(secs "$3")" "$2" "$(load)" "${4:-}")
  summary+=("$line")
  echo "test: $line" >&2
  ((${2} == 0)) || failed=1
}

# Runs one phase in the foreground, its output as it comes.
foreground() {
  local phase=$1 start status
  command_of "$phase"
  echo "test: == $phase: ${cmd[*]}" >&2
  start=$(now)
  "${cmd[@]}"
  status=$?
  finish "$phase" "$status" $((($(now) - start) / 1000000)) "${2:-}"
}

concurrent=()
sequential=()
if [ "${TDR_TEST_SERIAL:-}" != 1 ]; then
  for phase in "${phases[@]}"; do
    case "$phase" in
      typecheck | lint | unit) concurrent+=("$phase") ;;
      *) sequential+=("$phase") ;;
    esac
  done
else
  sequential=("${phases[@]}")
fi

if ((${#concurrent[@]} > 1)); then
  logs=$(mktemp -d "${TMPDIR:-/tmp}/tdr-test-XXXXXX")
  trap 'rm -rf "$logs"' EXIT
  group_start=$(now)
  background=()
  front=""
  for phase in "${concurrent[@]}"; do
    if [ "$phase" = unit ]; then
      front=unit
      continue
    fi
    command_of "$phase"
    echo "test: == $phase (beside the others; its output follows when it ends): ${cmd[*]}" >&2
    (
      start=$(now)
      "${cmd[@]}" >"$logs/$phase.out" 2>&1
      status=$?
      echo "$status $((($(now) - start) / 1000000))" >"$logs/$phase.rc"
    ) &
    background+=("$phase:$!")
  done
  [ -z "$front" ] || foreground "$front"
  for entry in "${background[@]}"; do
    phase=${entry%%:*}
    wait "${entry#*:}"
    read -r status ms <"$logs/$phase.rc" 2>/dev/null || {
      status=1
      ms=0
    }
    command_of "$phase"
    echo "test: == $phase: ${cmd[*]} (ran beside the others; its output:)" >&2
    cat "$logs/$phase.out" >&2
    finish "$phase" "$status" "$ms" "  (concurrent)"
  done
  ms=$((($(now) - group_start) / 1000000))
  line=$(printf '%-12s %6s s  wall, at once' "$(
    IFS=+
    echo "${concurrent[*]}"
  )" "$(secs "$ms")")
  summary+=("$line")
  echo "test: $line" >&2
elif ((${#concurrent[@]} == 1)); then
  foreground "${concurrent[0]}"
fi

if ((failed == 0)); then
  for phase in "${sequential[@]}"; do
    foreground "$phase"
    ((failed == 0)) || break
  done
fi

ms=$((($(now) - total_start) / 1000000))
{
  echo "test: phase times (Node $(node --version)):"
  printf 'test:   %s\n' "${summary[@]}"
  printf 'test:   %-12s %6s s\n' total "$(secs "$ms")"
} >&2
exit "$failed"
