/** The catalogue as the dashboards need it: ECS services and one-off tasks, in catalogue order. */
import type { EcsServiceEntry, OneOffTaskEntry } from '../services/catalogue';
import type { Platform } from '../services/config';
import type { WorkloadEnvironmentName } from '../services/environments';

export function ecsServices(platform: Platform): Array<[string, EcsServiceEntry]> {
  return Object.entries(platform.catalogue).filter(
    (e): e is [string, EcsServiceEntry] => e[1].kind === 'service',
  );
}

export function oneOffTasks(platform: Platform): Array<[string, OneOffTaskEntry]> {
  return Object.entries(platform.catalogue).filter(
    (e): e is [string, OneOffTaskEntry] => e[1].kind === 'task',
  );
}

export function workloadEnvironments(platform: Platform): WorkloadEnvironmentName[] {
  return Object.values(platform.environments)
    .filter((e) => e.kind === 'workload')
    .map((e) => e.name as WorkloadEnvironmentName);
}
