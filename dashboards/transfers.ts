/** Transfers: the upload and export path of one environment, bucket by bucket, and one-off task runs. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Platform } from '../services/config';
import type { WorkloadEnvironmentName } from '../services/environments';
import { naming, WORKLOAD_BUCKET_FUNCTIONS, type WorkloadBucketFunction } from '../services/naming';
import { oneOffTasks } from '../services/queries';
import { baseDashboard, expressionQuery, finish, metricQuery, statPanel, timeseriesPanel } from './panels';

export const TRANSFERS = 'transfers';

/** S3 publishes storage metrics once a day. */
const DAY = '86400';

const BUCKET_ROLE: Readonly<Record<WorkloadBucketFunction, string>> = {
  'upload-files-cloudfront-dirty':
    'landing bucket: files arrive here before the antivirus check; a count that only grows means the checks have stopped, so look at the antivirus and file-check logs',
  'upload-files':
    'clean bucket: files that passed the checks; a sudden drop is deletion, so check CloudTrail for who deleted them',
  'upload-files-quarantine':
    'quarantine bucket: files that failed the antivirus check; every new object is an incident to handle by the security runbook',
  'consignment-export':
    'export bucket: BagIt bags for the preservation system; if it stops growing while transfers complete, check the consignment-export task runs below',
};

/** Any put into quarantine is an incident, so the panel is red from the first one. */
const QUARANTINE_INCIDENT_FROM = 1;

export function transfers(platform: Platform, env: WorkloadEnvironmentName): dashboard.Dashboard {
  const region = platform.environments[env].region;
  const builder = baseDashboard(
    env,
    TRANSFERS,
    `TDR ${env} — transfers`,
    `Objects and bytes in the upload and export buckets of ${env}, quarantined files and one-off task runs`,
  );

  builder.withRow(new dashboard.RowBuilder('Buckets'));
  for (const fn of WORKLOAD_BUCKET_FUNCTIONS) {
    const bucket = naming.bucket(fn, env);
    builder
      .withPanel(
        timeseriesPanel({
          title: `${bucket}: objects`,
          description: `Objects in the ${BUCKET_ROLE[fn]}.`,
          unit: units.Short,
          targets: [
            metricQuery(
              'objects',
              region,
              {
                namespace: 'AWS/S3',
                metricName: 'NumberOfObjects',
                statistic: 'Average',
                dimensions: { BucketName: bucket, StorageType: 'AllStorageTypes' },
              },
              'objects',
            ).period(DAY),
          ],
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: `${bucket}: size`,
          description: `Bytes stored in the ${BUCKET_ROLE[fn]}.`,
          unit: units.BytesIEC,
          targets: [
            metricQuery(
              'bytes',
              region,
              {
                namespace: 'AWS/S3',
                metricName: 'BucketSizeBytes',
                statistic: 'Average',
                dimensions: { BucketName: bucket, StorageType: 'StandardStorage' },
              },
              'bytes',
            ).period(DAY),
          ],
        }),
      );
  }

  const quarantine = naming.bucket('upload-files-quarantine', env);
  builder.withRow(new dashboard.RowBuilder('Incidents and one-off tasks'));
  builder.withPanel(
    statPanel({
      title: 'Files quarantined',
      description: `Puts into ${quarantine} (S3 request metrics, filter ${naming.s3RequestMetricsFilter()}). Each one is a file that failed the antivirus check: treat it as a security incident, find the consignment from the object key and follow the incident runbook.`,
      unit: units.Short,
      targets: [
        metricQuery(
          'quarantined',
          region,
          {
            namespace: 'AWS/S3',
            metricName: 'PutRequests',
            statistic: 'Sum',
            dimensions: { BucketName: quarantine, FilterId: naming.s3RequestMetricsFilter() },
          },
          'quarantined',
        ),
      ],
      steps: [
        { value: null, color: 'green' },
        { value: QUARANTINE_INCIDENT_FROM, color: 'red' },
      ],
      height: 8,
    }),
  );
  builder.withPanel(
    timeseriesPanel({
      title: 'One-off task runs',
      description:
        'Tasks running per one-off task family (export, migrations, Keycloak updates). An export that never appears after a transfer completes, or a migration that runs for hours, needs its log group read; re-run it with the same task definition once fixed.',
      unit: units.Short,
      width: 18,
      targets: oneOffTasks(platform.catalogue).map(([task], i) =>
        expressionQuery(
          `task${i}`,
          region,
          // One-off tasks may be started on any cluster, so they are found by family alone.
          `SEARCH('{ECS/ContainerInsights,ClusterName,TaskDefinitionFamily} MetricName="TaskCount" TaskDefinitionFamily="${naming.taskFamily(task, env)}"', 'Maximum', 60)`,
          task,
        ),
      ),
    }),
  );
  return finish(builder);
}
