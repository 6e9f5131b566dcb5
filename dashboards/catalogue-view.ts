/** The catalogue as the dashboards need it: ECS services and one-off tasks, in catalogue order. */
import type { EcsServiceEntry, OneOffTaskEntry } from '../services/catalogue';
import type { Platform } from '../services/config';
import type { WorkloadEnvironmentName } from '../services/environments';
import * as queries from '../services/queries';

export function ecsServices(platform: Platform): Array<[string, EcsServiceEntry]> {
  return queries.ecsServices(platform.catalogue);
}

export function oneOffTasks(platform: Platform): Array<[string, OneOffTaskEntry]> {
  return queries.oneOffTasks(platform.catalogue);
}

export function workloadEnvironments(platform: Platform): WorkloadEnvironmentName[] {
  return queries
    .environmentsOfKind(platform.environments, 'workload')
    .map((e) => e.name as WorkloadEnvironmentName);
}
