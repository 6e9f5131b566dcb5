#!/bin/sh
# Uploads the function packages a build produced to mgmt's code bucket, with their SHA-256.
#   upload-package VERSION "ARTIFACT=FUNCTION ..."
# Each ARTIFACT (relative to the current directory) goes to s3://$BUCKET/FUNCTION/VERSION/<file>,
# in one part, with S3's SHA-256 checksum: the release engine reads it back as the package's digest
# and Lambda reports the same value as CodeSha256 once the code is deployed. A version is never
# rewritten: a package already there is left alone, so a re-run of one commit uploads nothing.
# Installed in the build agent image as `upload-package`.
set -eu

if [ "$#" -ne 2 ]; then
  echo "usage: upload-package VERSION 'ARTIFACT=FUNCTION ...'" >&2
  exit 2
fi
version=$1
packages=$2
bucket=${BACKEND_CODE_BUCKET:-tdr-backend-code-mgmt}

for package in $packages; do
  artifact=${package%%=*}
  function=${package#*=}
  key="$function/$version/$(basename "$artifact")"
  if [ ! -f "$artifact" ]; then
    echo "upload-package: $artifact was not built (the package command should have made it)" >&2
    exit 1
  fi
  if aws s3api head-object --bucket "$bucket" --key "$key" >/dev/null 2>&1; then
    echo "upload-package: s3://$bucket/$key is already there; not uploading it again"
    continue
  fi
  sha256=$(openssl dgst -sha256 -binary "$artifact" | base64)
  aws s3api put-object \
    --bucket "$bucket" \
    --key "$key" \
    --body "$artifact" \
    --checksum-algorithm SHA256 \
    --checksum-sha256 "$sha256" \
    --metadata "git-commit=$(git rev-parse HEAD)" \
    --if-none-match '*' >/dev/null
  echo "upload-package: s3://$bucket/$key sha256 $sha256"
done
