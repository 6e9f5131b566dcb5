#!/bin/sh
# Waits for ECR's scan on push of each image and fails if it found anything at or above SEVERITY.
#   scan-gate TAG SEVERITY "DOCKERFILE=REPOSITORY[@TARGET] ..."
# SEVERITY is one of CRITICAL, HIGH, MEDIUM, LOW. Installed in the build agent image as `scan-gate`.
set -eu

if [ "$#" -ne 3 ]; then
  echo "usage: scan-gate TAG SEVERITY 'DOCKERFILE=REPOSITORY[@TARGET] ...'" >&2
  exit 2
fi
tag=$1
threshold=$2
images=$3

blocking=
for level in CRITICAL HIGH MEDIUM LOW; do
  blocking="$blocking $level"
  [ "$level" = "$threshold" ] && break
done
case " $blocking " in
  *" $threshold "*) ;;
  *) echo "scan-gate: SEVERITY must be one of CRITICAL, HIGH, MEDIUM, LOW, not '$threshold'" >&2; exit 2 ;;
esac

failed=0
for image in $images; do
  rest=${image#*=}
  repository=${rest%%@*}
  aws ecr wait image-scan-complete --repository-name "$repository" --image-id imageTag="$tag"
  for level in $blocking; do
    count=$(aws ecr describe-image-scan-findings --repository-name "$repository" --image-id imageTag="$tag" \
      --query "imageScanFindings.findingSeverityCounts.$level" --output text)
    if [ "$count" != "None" ] && [ "$count" -gt 0 ]; then
      echo "scan-gate: $repository:$tag has $count $level finding(s) (stopping at $threshold or above)" >&2
      failed=1
    fi
  done
done
exit "$failed"
