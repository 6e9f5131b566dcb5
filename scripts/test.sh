#!/usr/bin/env bash
# `npm test`: typecheck, lint, unit tests, integration tests, in that order, stopping at the first
# that fails, each phase timed (so a slow phase is seen where it happens, with the machine's load,
# since on a shared machine a time means little without it). package.json runs this through
# scripts/use-node.sh, so it runs on the pinned Node whatever `node` the machine has.
#   scripts/test.sh [PHASE...]   phases: typecheck lint unit integration aws-calls (default: all five;
#   aws-calls simulates every AWS call the integration phase recorded against the role that made it)
set -uo pipefail
cd "$(dirname "$0")/.."

phases=("$@")
((${#phases[@]})) || phases=(typecheck lint unit integration aws-calls)

load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'; }
now() { date +%s%N; }

echo "test: Node $(node --version) ($(command -v node)), $(nproc 2>/dev/null || echo '?') cores, load $(load)" >&2
summary=()
total_start=$(now)
status=0
for phase in "${phases[@]}"; do
  case "$phase" in
    typecheck) cmd=(npm run --silent typecheck) ;;
    lint) cmd=(npm run --silent lint) ;;
    unit) cmd=(npm run --silent test:unit) ;;
    integration) cmd=(npm run --silent test:integration) ;;
    aws-calls) cmd=(npm run --silent check:aws-calls) ;;
    *)
      echo "test: unknown phase '$phase'; valid: typecheck lint unit integration" >&2
      exit 2
      ;;
  esac
  echo "test: == $phase: ${cmd[*]}" >&2
  start=$(now)
  "${cmd[@]}"
  status=$?
  ms=$((($(now) - start) / 1000000))
  line=$(printf '%-12s %6d.%d s  rc=%d  load after: %s' "$phase" $((ms / 1000)) $((ms % 1000 / 100)) "$status" "$(load)")
  summary+=("$line")
  echo "test: $line" >&2
  ((status == 0)) || break
done
ms=$((($(now) - total_start) / 1000000))
{
  echo "test: phase times (Node $(node --version)):"
  printf 'test:   %s\n' "${summary[@]}"
  printf 'test:   %-12s %6d.%d s\n' total $((ms / 1000)) $((ms % 1000 / 100))
} >&2
exit "$status"
