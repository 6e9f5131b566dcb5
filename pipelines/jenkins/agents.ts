/**
 * The two kinds of Jenkins agent per environment: the release agent (`tdr`, Pulumi) every job
 * uses, and the build agent (the same plus Kaniko and the build tools) that builds images.
 */
import type { EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';

export function buildAgentLabel(e: EnvironmentName): string {
  return `${naming.jenkinsAgentLabel(e)}-build`;
}
