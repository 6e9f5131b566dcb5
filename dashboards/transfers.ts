/** Transfers: the upload and export path of one environment, bucket by bucket, and one-off task runs. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Platform } from '../services/config';
import type { WorkloadEnvironmentName } from '../services/environments';
import { AWS_METRICS, metricStat } from '../services/aws-metrics';
import { naming, WORKLOAD_BUCKET_FUNCTIONS, type WorkloadBucketFunction } from '../services/naming';
import { oneOffTasks } from '../services/queries';
import { baseDashboard, filledQuery, finish, metricQuery, statPanel, timeseriesPanel } from './panels';

export const TRANSFERS = 'transfers';

/** S3 publishes storage metrics once a day: a day's period, over a week so there are points to draw. */
const DAY = String(AWS_METRICS.s3NumberOfObjects.periodSeconds);
const STORAGE_WINDOW = '7d';

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

// eslint-disable-next-line max-lines-per-function -- a dashboard's panels in the order Grafana shows them: the layout reads top to bottom here.
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
          description: `Objects in the ${BUCKET_ROLE[fn]}. S3 counts once a day, so the panel shows the last 7 days.`,
          unit: units.Short,
          timeFrom: STORAGE_WINDOW,
          targets: [
            metricQuery(
              'objects',
              region,
              {
                ...metricStat(AWS_METRICS.s3NumberOfObjects, 'Average'),
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
          description: `Bytes stored in the ${BUCKET_ROLE[fn]}. S3 measures once a day, so the panel shows the last 7 days.`,
          unit: units.BytesIEC,
          timeFrom: STORAGE_WINDOW,
          targets: [
            metricQuery(
              'bytes',
              region,
              {
                ...metricStat(AWS_METRICS.s3BucketSizeBytes, 'Average'),
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
      description: `Puts into ${quarantine}, from the bucket's S3 request metrics configuration ${naming.s3RequestMetricsFilter()} (infra creates it; without it S3 publishes nothing). Each one is a file that failed the antivirus check: treat it as a security incident, find the consignment from the object key and follow the incident runbook.`,
      unit: units.Short,
      targets: filledQuery(
        'quarantined',
        region,
        {
          ...metricStat(AWS_METRICS.s3PutRequests, 'Sum'),
          dimensions: { BucketName: quarantine, FilterId: naming.s3RequestMetricsFilter() },
        },
        'quarantined',
      ),
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
        'Tasks running per one-off task (export, migrations, Keycloak updates), each in its own cluster. An export that never appears after a transfer completes, or a migration that runs for hours, needs its log group read; re-run it with the same task definition once fixed.',
      unit: units.Short,
      width: 18,
      targets: oneOffTasks(platform.catalogue).flatMap(([task], i) =>
        filledQuery(
          `task${i}`,
          region,
          // Container Insights counts tasks per cluster only, and each one-off task has its own.
          {
            ...metricStat(AWS_METRICS.taskCount, 'Maximum'),
            dimensions: { ClusterName: naming.cluster(task, env) },
          },
          task,
          '0',
          '60',
        ),
      ),
    }),
  );
  return finish(builder);
}
