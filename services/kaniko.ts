/**
 * The image builder: Kaniko (Chainguard's maintained fork, https://github.com/chainguard-dev/kaniko)
 * runs as its own ECS task, never inside the Jenkins agent. The fork's README ("Known Issues"):
 * "Running kaniko in any Docker image other than the official kaniko image is not supported …
 * This includes copying the kaniko executables from the official image into another image (e.g. a
 * Jenkins CI agent)". The build agent uploads the build context to S3 and starts this task with
 * `--context s3://…` (README, "Kaniko Build Contexts": `s3://[bucket name]/[path to .tar.gz]`).
 *
 * Shared by infra (the task definition, its roles, the context bucket) and pipelines (the Dockerfile
 * target, the agent-image job, `kaniko-build`), which may not import each other.
 */
export const KANIKO = {
  /** The fork's release tag: the Dockerfile's `ARG KANIKO_VERSION` and the image's tag in ECR. */
  version: 'v1.25.5',
  /** The Dockerfile target (pipelines/jenkins/agent/Dockerfile) and the task's one container. */
  target: 'kaniko',
  container: 'kaniko',
  /** Fargate size: 2 vCPU may take 4–16 GiB (ECS Developer Guide, "Task CPU and memory"). */
  cpu: 2048,
  memory: 8192,
  /** Each base image is unpacked on the task's disk: Fargate gives 20 GiB unless asked (21–200). */
  ephemeralStorageGiB: 50,
  /** Build contexts, `contexts/{repository}/{tag}/{id}.tar.gz`; kept a day, then expired. */
  contextPrefix: 'contexts/',
  contextExpireDays: 1,
  /** The awslogs stream prefix: a task's log stream is `{prefix}/{container}/{task id}`. */
  logStreamPrefix: 'kaniko',
  /** How long `kaniko-build` waits for one image's task before it stops it and fails. */
  timeoutMinutes: 45,
} as const;
