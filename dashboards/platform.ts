/** Platform (mgmt): the Jenkins controller, its agents per environment, and pushes to ECR. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Platform } from '../services/config';
import { naming } from '../services/naming';
import { workloadEnvironmentNames } from '../services/queries';
import { baseDashboard, finish, metricQuery, timeseriesPanel } from './panels';

export const PLATFORM = 'platform';

export function platformDashboard(platform: Platform): dashboard.Dashboard {
  const env = 'mgmt' as const;
  const region = platform.environments[env].region;
  const controller = {
    ClusterName: naming.jenkinsCluster(),
    ServiceName: naming.jenkinsControllerService(),
  };
  const builder = baseDashboard(
    env,
    PLATFORM,
    'TDR mgmt — platform',
    'The Jenkins controller that builds and deploys TDR, its per-environment agents, and image pushes to ECR',
  );
  builder.withRow(new dashboard.RowBuilder('Jenkins controller'));
  builder
    .withPanel(
      timeseriesPanel({
        title: 'Jenkins controller: CPU',
        description:
          'Average CPU of the Jenkins controller. Sustained high CPU slows every build: look for builds running on the controller instead of agents, and move them to agents.',
        unit: units.Percent,
        width: 8,
        targets: [
          metricQuery(
            'cpu',
            region,
            {
              namespace: 'AWS/ECS',
              metricName: 'CPUUtilization',
              statistic: 'Average',
              dimensions: controller,
            },
            'CPU',
          ),
        ],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'Jenkins controller: memory',
        description:
          'Average memory of the Jenkins controller. Near 100% Jenkins is killed mid-build: restart it between builds and raise the task memory.',
        unit: units.Percent,
        width: 8,
        targets: [
          metricQuery(
            'memory',
            region,
            {
              namespace: 'AWS/ECS',
              metricName: 'MemoryUtilization',
              statistic: 'Average',
              dimensions: controller,
            },
            'memory',
          ),
        ],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'Jenkins controller: running tasks',
        description:
          'Controller tasks running; it should be exactly 1. At 0 nothing builds or deploys: read the ECS service events in mgmt for why the task stopped.',
        unit: units.Short,
        width: 8,
        targets: [
          metricQuery(
            'running',
            region,
            {
              namespace: 'ECS/ContainerInsights',
              metricName: 'RunningTaskCount',
              statistic: 'Minimum',
              dimensions: controller,
            },
            'running',
          ),
        ],
        steps: [
          { value: null, color: 'red' },
          { value: 1, color: 'green' },
        ],
      }),
    );

  builder.withRow(new dashboard.RowBuilder('Agents and images'));
  builder
    .withPanel(
      timeseriesPanel({
        title: 'Jenkins agents by environment',
        description:
          'ECS agent tasks per target environment (each runs as TDRJenkinsNodeRole{Env}). Agents that stay up after builds finish cost money; none appearing while builds queue means the ECS cloud cannot start them: check the Jenkins log for the RunTask error.',
        unit: units.Short,
        width: 12,
        targets: workloadEnvironmentNames(platform.environments).map((target) =>
          metricQuery(
            `agents${target}`,
            region,
            {
              namespace: 'ECS/ContainerInsights',
              metricName: 'TaskCount',
              statistic: 'Maximum',
              dimensions: {
                ClusterName: naming.jenkinsCluster(),
                TaskDefinitionFamily: naming.jenkinsAgentFamily(target),
              },
            },
            target,
          ),
        ),
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'ECR pushes',
        description:
          'Images pushed to ECR in mgmt (PutImage calls). Pushes with no merged change behind them, or none after merges, point at the build jobs: read the Jenkins build log of the service.',
        unit: units.Short,
        width: 12,
        targets: [
          metricQuery(
            'pushes',
            region,
            {
              namespace: 'AWS/Usage',
              metricName: 'CallCount',
              statistic: 'Sum',
              dimensions: { Service: 'ECR', Type: 'API', Resource: 'PutImage', Class: 'None' },
            },
            'pushes',
          ),
        ],
      }),
    );
  return finish(builder);
}
