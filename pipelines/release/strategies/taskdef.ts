/**
 * Each deployment registers a task-definition revision identical to the current one except the
 * released container's image, pinned by digest.
 */
import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs';

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not accept. */
const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const;

export function withImage(
  current: TaskDefinition,
  containerName: string,
  image: string,
  tags: RegisterTaskDefinitionCommandInput['tags'] = [],
): RegisterTaskDefinitionCommandInput {
  const containers = current.containerDefinitions ?? [];
  if (!containers.some((c) => c.name === containerName)) {
    throw new Error(
      `task definition ${current.taskDefinitionArn} has no container ${containerName} (it has ${containers.map((c) => c.name).join(', ') || 'none'})`,
    );
  }
  const input: Record<string, unknown> = { ...current };
  for (const f of READ_ONLY_FIELDS) delete input[f];
  return {
    ...(input as unknown as RegisterTaskDefinitionCommandInput),
    family: current.family,
    containerDefinitions: containers.map((c) => (c.name === containerName ? { ...c, image } : c)),
    ...(tags && tags.length > 0 ? { tags } : {}),
  };
}

/** A unified-diff-like listing of what differs between two task definitions, field by field. */
export function taskDefinitionDiff(before: unknown, after: unknown): string[] {
  const a = flatten(strip(before));
  const b = flatten(strip(after));
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  const lines: string[] = [];
  for (const k of keys) {
    if (a.get(k) === b.get(k)) continue;
    if (a.has(k)) lines.push(`- ${k}: ${a.get(k)}`);
    if (b.has(k)) lines.push(`+ ${k}: ${b.get(k)}`);
  }
  return lines;
}

function strip(td: unknown): unknown {
  if (typeof td !== 'object' || td === null) return td;
  const copy: Record<string, unknown> = { ...(td as Record<string, unknown>) };
  for (const f of READ_ONLY_FIELDS) delete copy[f];
  delete copy.tags;
  return copy;
}

function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}
