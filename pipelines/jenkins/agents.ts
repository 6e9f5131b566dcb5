/**
 * The kinds of Jenkins agent: per environment the release agent (`tdr`, Pulumi) every job uses;
 * in mgmt also the build agent (the same plus the build tools; it starts Kaniko's own task) that builds images, and
 * the platform agent that runs this repository's own `npm test` (pipelines/jenkins/agent/Dockerfile).
 */
import type { EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';

export function buildAgentLabel(e: EnvironmentName): string {
  return `${naming.jenkinsAgentLabel(e)}-build`;
}

export function platformAgentLabel(e: EnvironmentName): string {
  return `${naming.jenkinsAgentLabel(e)}-platform`;
}
