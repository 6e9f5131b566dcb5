/**
 * Plans the datasource part of a publish: the `tdr-cloudwatch-*` datasources every dashboard and
 * alert rule reads through, created or brought back to what the code says through Grafana's data
 * source HTTP API (grafana/grafana docs/sources/developers/http_api/data_source.md:
 * GET/PUT /api/datasources/uid/:uid, POST /api/datasources). Amazon Managed Grafana reads no
 * provisioning files, so this is how its datasources come to exist.
 *
 * Read first, like the alerting plan: a datasource whose role ARN still holds an unresolved
 * account reference, or one provisioned from a file (Grafana refuses API changes to those), stops
 * the publish before anything is written.
 */
import { PlatformError } from '../services/errors';
import { covers } from './alerting-publisher';
import { datasourceBody, type DatasourceSpec } from './datasources';
import type { GrafanaClient } from './grafana-client';

export interface DatasourceStep {
  readonly kind: 'datasource';
  readonly uid: string;
  readonly title: string;
  readonly action: 'created' | 'updated' | 'unchanged';
  readonly write?: (client: GrafanaClient) => Promise<void>;
}

/** A datasource cannot be written as generated: nothing was written. */
export class DatasourceNotPublishableError extends PlatformError {
  readonly kind = 'invalid';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'DatasourceNotPublishableError';
  }
}

export async function planDatasources(
  client: GrafanaClient,
  specs: readonly DatasourceSpec[],
): Promise<DatasourceStep[]> {
  const unresolved = specs.filter((s) => s.assumeRoleArn?.includes('${'));
  if (unresolved.length > 0) {
    throw new DatasourceNotPublishableError([
      `the account ids of ${unresolved.map((s) => s.env).join(', ')} are not known: set TDR_ACCOUNT_IDS or run where SSM /mgmt/{env}_account can be read (Grafana's API does not expand \${…} references)`,
    ]);
  }
  const steps: DatasourceStep[] = [];
  const readOnly: string[] = [];
  for (const spec of specs) {
    const body = datasourceBody(spec);
    const stored = await client.getDatasource(spec.uid);
    const base = { kind: 'datasource' as const, uid: spec.uid, title: spec.name };
    // jsonData is compared whole: a stray assumeRoleArn on mgmt's datasource is a difference.
    if (stored && covers(stored, body) && covers(body.jsonData, stored.jsonData ?? {})) {
      steps.push({ ...base, action: 'unchanged' });
      continue;
    }
    if (stored?.readOnly) readOnly.push(spec.uid);
    steps.push(
      stored
        ? {
            ...base,
            action: 'updated',
            write: (c) =>
              c.updateDatasource({
                ...body,
                ...(stored.version === undefined ? {} : { version: stored.version }),
              }),
          }
        : { ...base, action: 'created', write: (c) => c.createDatasource(body) },
    );
  }
  if (readOnly.length > 0) {
    throw new DatasourceNotPublishableError([
      `datasource ${readOnly.join(', ')} was provisioned from a file and Grafana refuses API changes to it: use one of the two per Grafana (provisioning files, or tdr dashboards publish)`,
    ]);
  }
  return steps;
}
