#!/bin/sh
# Builds and pushes images to mgmt's ECR with Kaniko (Chainguard's maintained fork, built into the
# build agent image, pipelines/jenkins/agent/Dockerfile): no Docker daemon, nothing privileged, run
# as root in the unprivileged build agent container.
# NOT DONE (issue 23): Kaniko's README calls running the executor inside another image (here the
# Jenkins agent) unsupported, because it unpacks each base image over its own container's root; the
# --ignore-path list below keeps the agent's own directories out of it. The supported shape, Kaniko
# in its own container (a second container of the build agent's task, or its own task), is not built.
#   kaniko-build TAG "DOCKERFILE=REPOSITORY[@TARGET] ..."
# Each pair is built from the current directory as context and pushed as REPOSITORY:TAG. ECR tags
# are immutable, so a tag that is already there is left alone: a re-run of one commit pushes nothing.
# Installed in the build agent image as `kaniko-build`.
set -eu

if [ "$#" -ne 2 ]; then
  echo "usage: kaniko-build TAG 'DOCKERFILE=REPOSITORY[@TARGET] ...'" >&2
  exit 2
fi
tag=$1
images=$2
region=${AWS_REGION:-eu-west-2}
account=$(aws sts get-caller-identity --query Account --output text)
registry="$account.dkr.ecr.$region.amazonaws.com"

for image in $images; do
  dockerfile=${image%%=*}
  rest=${image#*=}
  repository=${rest%%@*}
  target=
  case $rest in *@*) target=${rest#*@} ;; esac
  if aws ecr describe-images --repository-name "$repository" --image-ids imageTag="$tag" >/dev/null 2>&1; then
    echo "kaniko-build: $repository:$tag is already in ECR; not building it again"
    continue
  fi
  # --cleanup: the executor unpacks each image over this container's filesystem, so it puts the
  # agent back before the next image; the agent's own directories are never part of an image.
  /kaniko/executor \
    --context "dir://$PWD" \
    --dockerfile "$dockerfile" \
    ${target:+--target "$target"} \
    --destination "$registry/$repository:$tag" \
    --label "org.opencontainers.image.revision=$(git rev-parse HEAD)" \
    --ignore-path /home/jenkins \
    --ignore-path /opt/tdr \
    --cleanup
done
