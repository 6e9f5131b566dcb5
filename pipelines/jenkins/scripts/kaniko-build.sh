#!/bin/sh
# Builds images and pushes them to mgmt's ECR with Kaniko running as its OWN ECS task, the shape
# Kaniko supports ("Running kaniko in any Docker image other than the official kaniko image is not
# supported", https://github.com/chainguard-dev/kaniko README, "Known Issues"). This agent never
# runs Kaniko: it packs the current directory into a .tar.gz, uploads it to the context bucket,
# starts the `jenkins-kaniko` task with `--context s3://bucket/key` (README, "Kaniko Build Contexts")
# on the Jenkins cluster in the agents' subnets, waits for it (bounded), and fails with the task's
# exit code, stopped reason, log tail and log link unless it exited 0. Then it reads the pushed
# digest back from ECR. The task and its roles are infra/accounts/mgmt-kaniko.ts; the permissions
# every `aws` call here needs are TDRJenkinsNodeRoleMgmt's (infra/accounts/mgmt-kaniko.test.ts
# derives the calls from this file and checks each against the synthesised policy).
#   kaniko-build TAG "DOCKERFILE=REPOSITORY[@TARGET] ..."
# Each pair is built from the current directory as context and pushed as REPOSITORY:TAG. ECR tags
# are immutable, so a tag that is already there is left alone: a re-run of one commit pushes nothing.
# Installed in the build agent image as `kaniko-build`.
set -eu
# IMAGES is split on spaces, never expanded as file names.
set -f

usage() {
  echo "usage: kaniko-build TAG 'DOCKERFILE=REPOSITORY[@TARGET] ...'" >&2
  exit 2
}
fail_input() {
  echo "kaniko-build: $1" >&2
  exit 2
}

[ "$#" -eq 2 ] || usage
tag=$1
images=$2

# Where things are. The defaults are the names infra creates (services/naming.ts, services/kaniko.ts;
# kaniko-build.test.ts checks they agree); the variables exist for the tests.
region=${AWS_REGION:-eu-west-2}
cluster=${KANIKO_CLUSTER:-jenkins_mgmt}
family=${KANIKO_TASK_FAMILY:-jenkins-kaniko-mgmt}
container=${KANIKO_CONTAINER:-kaniko}
bucket=${KANIKO_CONTEXT_BUCKET:-tdr-kaniko-context-mgmt}
context_prefix=${KANIKO_CONTEXT_PREFIX:-contexts/}
log_group=${KANIKO_LOG_GROUP:-/ecs/jenkins-agent-mgmt}
log_prefix=${KANIKO_LOG_PREFIX:-kaniko}
subnets_parameter=${KANIKO_SUBNETS_PARAMETER:-/mgmt/fargate_subnet}
security_group_parameter=${KANIKO_SECURITY_GROUP_PARAMETER:-/mgmt/fargate_security_group}
timeout_minutes=${KANIKO_TIMEOUT_MINUTES:-45}
poll_seconds=${KANIKO_POLL_SECONDS:-15}
max_images=20

# Every input is checked before anything is uploaded or started. The values go into the task's
# JSON overrides, so they are held to characters that need no escaping.
# ECR image tags: [a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127} (ECR API reference, ImageIdentifier.imageTag).
printf '%s' "$tag" | grep -Eq '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$' ||
  fail_input "TAG '$tag' is not an ECR image tag (letters, digits, _ . -; at most 128; not starting with . or -)"
count=0
for image in $images; do
  count=$((count + 1))
  case $image in *=*) ;; *) fail_input "'$image' is not DOCKERFILE=REPOSITORY[@TARGET]" ;; esac
  dockerfile=${image%%=*}
  rest=${image#*=}
  repository=${rest%%@*}
  printf '%s' "$dockerfile" | grep -Eq '^[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}$' ||
    fail_input "DOCKERFILE '$dockerfile' in '$image' is not a relative path of letters, digits, _ . / -"
  case $dockerfile in *..*) fail_input "DOCKERFILE '$dockerfile' in '$image' leaves the build context" ;; esac
  # ECR repository names: (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*, 2–256.
  printf '%s' "$repository" | grep -Eq '^([a-z0-9]+([._-][a-z0-9]+)*/)*[a-z0-9]+([._-][a-z0-9]+)*$' ||
    fail_input "REPOSITORY '$repository' in '$image' is not an ECR repository name (lowercase letters, digits, . _ - /)"
  case $rest in *@*)
    printf '%s' "${rest#*@}" | grep -Eq '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$' ||
      fail_input "TARGET '${rest#*@}' in '$image' is not a Dockerfile stage name (letters, digits, _ . -)" ;;
  esac
done
[ "$count" -ge 1 ] || fail_input "no image given: IMAGES is empty"
[ "$count" -le "$max_images" ] || fail_input "$count images given; at most $max_images in one call"

account=$(aws sts get-caller-identity --query Account --output text)
registry="$account.dkr.ecr.$region.amazonaws.com"
revision=$(git rev-parse HEAD)

context_file=$(mktemp)
trap 'rm -f "$context_file"' EXIT
context_key=
network=
task_arn=
# An aborted Jenkins build (SIGTERM) stops the task it started instead of leaving it building.
on_abort() {
  if [ -n "$task_arn" ]; then
    aws ecs stop-task --cluster "$cluster" --task "$task_arn" --reason "kaniko-build: the Jenkins build was aborted" >/dev/null || true
    echo "kaniko-build: aborted; task ${task_arn##*/} stopped" >&2
  fi
  exit 143
}
trap on_abort INT TERM

# CloudWatch's console escapes `/` in a log group or stream as `$252F`.
console_escape() { printf '%s' "$1" | sed 's|/|$252F|g'; }

# Packs and uploads the context once, on the first image that is not already in ECR.
upload_context() {
  [ -z "$context_key" ] || return 0
  context_key="${context_prefix}${tag}/$(date -u +%Y%m%dT%H%M%SZ)-$$.tar.gz"
  tar -czf "$context_file" --exclude=./.git -C "$PWD" .
  aws s3 cp "$context_file" "s3://$bucket/$context_key" --only-show-errors
  subnets=$(aws ssm get-parameters --names "$subnets_parameter" \
    --query "Parameters[?Name=='$subnets_parameter'].Value | [0]" --output text)
  security_group=$(aws ssm get-parameters --names "$security_group_parameter" \
    --query "Parameters[?Name=='$security_group_parameter'].Value | [0]" --output text)
  if [ -z "$subnets" ] || [ "$subnets" = None ] || [ -z "$security_group" ] || [ "$security_group" = None ]; then
    echo "kaniko-build: cannot read the agents' network from SSM ($subnets_parameter, $security_group_parameter)" >&2
    exit 1
  fi
  network="awsvpcConfiguration={subnets=[$subnets],securityGroups=[$security_group],assignPublicIp=DISABLED}"
}

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
  upload_context

  args="\"--context=s3://$bucket/$context_key\",\"--dockerfile=$dockerfile\""
  args="$args,\"--destination=$registry/$repository:$tag\""
  args="$args,\"--label=org.opencontainers.image.revision=$revision\",\"--skip-unused-stages=true\""
  [ -z "$target" ] || args="$args,\"--target=$target\""
  overrides="{\"containerOverrides\":[{\"name\":\"$container\",\"command\":[$args]}]}"

  started=$(aws ecs run-task --cluster "$cluster" --task-definition "$family" --launch-type FARGATE \
    --network-configuration "$network" --started-by kaniko-build --overrides "$overrides" \
    --query '[tasks[0].taskArn, failures[0].reason]' --output text)
  task_arn=$(printf '%s' "$started" | cut -f1)
  case $task_arn in arn:aws:ecs:*) ;; *)
    echo "kaniko-build: ECS did not start Kaniko for $repository:$tag: $(printf '%s' "$started" | cut -f2)" >&2
    exit 1 ;;
  esac
  task_id=${task_arn##*/}
  log_stream="$log_prefix/$container/$task_id"
  log_link="https://$region.console.aws.amazon.com/cloudwatch/home?region=$region#logsV2:log-groups/log-group/$(console_escape "$log_group")/log-events/$(console_escape "$log_stream")"
  echo "kaniko-build: building $repository:$tag in task $task_id; log: $log_link"

  # Bounded: a build that outlives the bound is stopped and fails, never left running.
  deadline=$(($(date +%s) + timeout_minutes * 60))
  while :; do
    state=$(aws ecs describe-tasks --cluster "$cluster" --tasks "$task_arn" \
      --query 'tasks[0].[lastStatus, containers[0].exitCode, stoppedReason]' --output text)
    status=$(printf '%s' "$state" | cut -f1)
    [ "$status" != STOPPED ] || break
    if [ "$(date +%s)" -ge "$deadline" ]; then
      aws ecs stop-task --cluster "$cluster" --task "$task_arn" \
        --reason "kaniko-build: over ${timeout_minutes} minutes" >/dev/null
      echo "kaniko-build: $repository:$tag took over $timeout_minutes minutes; task $task_id stopped; log: $log_link" >&2
      exit 1
    fi
    sleep "$poll_seconds"
  done
  exit_code=$(printf '%s' "$state" | cut -f2)
  reason=$(printf '%s' "$state" | cut -f3-)
  if [ "$exit_code" != 0 ]; then
    echo "kaniko-build: Kaniko failed for $repository:$tag (exit code $exit_code; $reason); its last lines:" >&2
    aws logs get-log-events --log-group-name "$log_group" --log-stream-name "$log_stream" \
      --limit 40 --no-start-from-head --query 'events[].message' --output text >&2 || true
    echo "kaniko-build: log: $log_link" >&2
    exit 1
  fi
  digest=$(aws ecr describe-images --repository-name "$repository" --image-ids imageTag="$tag" \
    --query 'imageDetails[0].imageDigest' --output text)
  case $digest in sha256:*) ;; *)
    echo "kaniko-build: Kaniko exited 0 but $repository:$tag is not in ECR; log: $log_link" >&2
    exit 1 ;;
  esac
  echo "kaniko-build: pushed $registry/$repository:$tag@$digest"
done
