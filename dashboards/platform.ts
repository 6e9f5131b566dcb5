/** Platform (mgmt): the Jenkins controller, its agents per environment, and pushes to ECR. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Platform } from '../services/config';
import { AWS_METRICS, metricStat } from '../services/aws-metrics';
import { naming } from '../services/naming';
import { workloadEnvironmentNames } from '../services/queries';
import { baseDashboard, expressionQuery, filledQuery, finish, metricQuery, timeseriesPanel } from './panels';

/** Fargate CPU units per vCPU. */
const CPU_UNITS_PER_VCPU = 1024;

export const PLATFORM = 'platform';

// eslint-disable-next-line max-lines-per-function -- a dashboard's panels in the order Grafana shows them: the layout reads top to bottom here.
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
            { ...metricStat(AWS_METRICS.ecsCpuUtilization, 'Average'), dimensions: controller },
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
            { ...metricStat(AWS_METRICS.ecsMemoryUtilization, 'Average'), dimensions: controller },
            'memory',
          ),
        ],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'Jenkins controller: running tasks',
        description:
          'Controller tasks running; it should be exactly 1. At 0 (Container Insights publishes nothing then, drawn as 0) nothing builds or deploys: read the ECS service events in mgmt for why the task stopped.',
        unit: units.Short,
        width: 8,
        targets: filledQuery(
          'running',
          region,
          { ...metricStat(AWS_METRICS.runningTaskCount, 'Minimum'), dimensions: controller },
          'running',
        ),
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
        title: 'Jenkins agents',
        description:
          'ECS agent tasks in the Jenkins cluster, every environment together: the cluster’s tasks less the controller (Container Insights counts tasks per cluster only). Agents that stay up after builds finish cost money; none appearing while builds queue means the ECS cloud cannot start them: check the Jenkins log for the RunTask error.',
        unit: units.Short,
        width: 8,
        targets: [
          ...filledQuery(
            'tasks',
            region,
            {
              ...metricStat(AWS_METRICS.taskCount, 'Maximum'),
              dimensions: { ClusterName: naming.jenkinsCluster() },
            },
            'cluster tasks',
          ).map((q) => q.hide(true)),
          ...filledQuery(
            'controller',
            region,
            { ...metricStat(AWS_METRICS.runningTaskCount, 'Maximum'), dimensions: controller },
            'controller',
          ).map((q) => q.hide(true)),
          expressionQuery('agents', region, 'tasks - controller', 'agents', 'Maximum'),
        ],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'Jenkins agent vCPU by environment',
        description:
          'vCPU reserved by the running agents of each target environment (task family jenkins-agent-{env}, each running as TDRJenkinsNodeRole{Env}); one agent reserves its task size. An environment whose agents hold CPU while nothing builds for it has stuck agents: stop them from the Jenkins node list.',
        unit: units.Short,
        width: 8,
        targets: workloadEnvironmentNames(platform.environments).flatMap((target) => [
          metricQuery(
            `cpu_${target}`,
            region,
            {
              ...metricStat(AWS_METRICS.cpuReserved, 'Average'),
              dimensions: {
                ClusterName: naming.jenkinsCluster(),
                TaskDefinitionFamily: naming.jenkinsAgentFamily(target),
              },
            },
            `${target} (CPU units)`,
            true,
          ),
          expressionQuery(
            `vcpu_${target}`,
            region,
            `FILL(cpu_${target}, 0) / ${CPU_UNITS_PER_VCPU}`,
            target,
            'Average',
          ),
        ]),
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'ECR PutImage calls',
        description:
          'PutImage calls to ECR in mgmt: one per tag pushed, so a build pushing two tags counts twice; it counts calls, not images. Calls with no merged change behind them, or none after merges, point at the build jobs: read the Jenkins build log of the service.',
        unit: units.Short,
        width: 8,
        targets: filledQuery(
          'pushes',
          region,
          {
            ...metricStat(AWS_METRICS.ecrCallCount, 'Sum'),
            dimensions: { Service: 'ECR', Type: 'API', Resource: 'PutImage' },
            // ECR documents no Class dimension; a subset match finds the calls either way.
            match: 'subset',
          },
          'PutImage calls',
        ),
      }),
    );
  return finish(builder);
}
