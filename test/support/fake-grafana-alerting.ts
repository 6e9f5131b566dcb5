/**
 * The alerting provisioning API of the fake Grafana, as Grafana's "Alerting provisioning HTTP API"
 * documents it (Grafana 11.6):
 *
 * - `GET|PUT /api/v1/provisioning/folder/{FolderUID}/rule-groups/{Group}`: 404 for a group that
 *   does not exist; PUT creates or replaces the group (rules missing from the body are deleted),
 *   needs the folder, and validates each rule (uid ≤ 40, a condition among its queries' refIds,
 *   the no-data and error states Grafana knows, an interval that is a multiple of 10s). Stored rules
 *   gain Grafana's own fields (`id`, `orgID`, `updated`, `provenance: api`).
 * - `GET|POST /api/v1/provisioning/contact-points`, `PUT …/contact-points/{UID}`: reads redact secret
 *   settings as `[REDACTED]`; a write of `[REDACTED]` keeps the stored secret; Slack needs `url`,
 *   PagerDuty `integrationKey`. Grafana's own `grafana-default-email` exists from the start.
 * - `GET|PUT /api/v1/provisioning/policies`: the one tree; a tree naming an unknown contact point is
 *   refused with 400.
 */

export const REDACTED = '[REDACTED]';

/** Settings Grafana stores encrypted and never returns, by contact point type. */
const SECURE_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  slack: ['url', 'token'],
  pagerduty: ['integrationKey'],
  email: [],
};
const REQUIRED_SECRET: Readonly<Record<string, string>> = { slack: 'url', pagerduty: 'integrationKey' };
const NO_DATA_STATES = ['Alerting', 'NoData', 'OK'];
const EXEC_ERR_STATES = ['OK', 'Alerting', 'Error'];
const BASE_INTERVAL_SECONDS = 10;

type Json = Record<string, unknown>;

export interface StoredContactPoint {
  uid: string;
  name: string;
  type: string;
  settings: Json;
  disableResolveMessage: boolean;
  provenance: string;
}

export interface StoredRuleGroup {
  title: string;
  folderUid: string;
  interval: number;
  rules: Json[];
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const ok = (body: unknown, status = 200): Answer => ({ status, body });
const fail = (status: number, message: string): Answer => ({ status, body: { message } });

export class FakeAlerting {
  readonly ruleGroups = new Map<string, StoredRuleGroup>();
  readonly contactPoints = new Map<string, StoredContactPoint>([
    [
      'default-email',
      {
        uid: 'default-email',
        name: 'grafana-default-email',
        type: 'email',
        settings: { addresses: '<example@email.com>' },
        disableResolveMessage: false,
        provenance: '',
      },
    ],
  ]);
  policyTree: Json = { receiver: 'grafana-default-email', group_by: ['grafana_folder', 'alertname'] };
  private nextId = 1;

  constructor(private readonly folderExists: (uid: string) => boolean) {}

  static key(folderUid: string, group: string): string {
    return `${folderUid}/${group}`;
  }

  /** Every stored rule, by uid. */
  rule(uid: string): Json | undefined {
    for (const g of this.ruleGroups.values()) {
      const found = g.rules.find((r) => r.uid === uid);
      if (found) return found;
    }
    return undefined;
  }

  route(method: string, url: URL, body: unknown): Answer {
    const path = url.pathname.replace(/^\/api\/v1\/provisioning/, '');
    let m: RegExpMatchArray | null;
    if ((m = path.match(/^\/folder\/([^/]+)\/rule-groups\/([^/]+)$/))) {
      const folderUid = decodeURIComponent(m[1]!);
      const group = decodeURIComponent(m[2]!);
      if (method === 'GET') {
        const g = this.ruleGroups.get(FakeAlerting.key(folderUid, group));
        return g ? ok(g) : fail(404, 'rule group does not exist');
      }
      if (method === 'PUT') return this.putRuleGroup(folderUid, group, body as Json);
    }
    if (path === '/contact-points') {
      if (method === 'GET') {
        const name = url.searchParams.get('name');
        return ok(
          [...this.contactPoints.values()]
            .filter((c) => !name || c.name === name)
            .map((c) => this.redacted(c)),
        );
      }
      if (method === 'POST') return this.saveContactPoint(undefined, body as Json);
    }
    if ((m = path.match(/^\/contact-points\/([^/]+)$/)) && method === 'PUT') {
      return this.saveContactPoint(decodeURIComponent(m[1]!), body as Json);
    }
    if (path === '/policies') {
      if (method === 'GET') return ok(this.policyTree);
      if (method === 'PUT') return this.putPolicies(body as Json);
    }
    return fail(404, 'Not found');
  }

  private putRuleGroup(folderUid: string, group: string, body: Json): Answer {
    if (!this.folderExists(folderUid)) return fail(404, `folder ${folderUid} does not exist`);
    const interval = Number(body?.interval);
    if (!Number.isInteger(interval) || interval <= 0 || interval % BASE_INTERVAL_SECONDS !== 0) {
      return fail(400, `interval ${String(body?.interval)} must be a positive multiple of 10s`);
    }
    const rules = Array.isArray(body.rules) ? (body.rules as Json[]) : [];
    const seen = new Set<string>();
    for (const r of rules) {
      const problem = ruleProblem(r, seen);
      if (problem) return fail(400, `invalid alert rule ${String(r.uid ?? r.title)}: ${problem}`);
    }
    const key = FakeAlerting.key(folderUid, group);
    const before = this.ruleGroups.get(key);
    const stored: StoredRuleGroup = {
      title: group,
      folderUid,
      interval,
      rules: rules.map((r) => {
        const previous = before?.rules.find((p) => p.uid === r.uid);
        return {
          ...r,
          id: previous?.id ?? this.nextId++,
          orgID: 1,
          folderUID: folderUid,
          ruleGroup: group,
          updated: new Date().toISOString(),
          provenance: 'api',
        };
      }),
    };
    this.ruleGroups.set(key, stored);
    return ok(stored);
  }

  private saveContactPoint(uid: string | undefined, body: Json): Answer {
    const type = typeof body?.type === 'string' ? body.type : '';
    if (!(type in SECURE_SETTINGS)) return fail(400, `contact point type "${type}" is not supported`);
    if (typeof body.settings !== 'object' || body.settings === null)
      return fail(400, 'settings are required');
    const existing = uid === undefined ? undefined : this.contactPoints.get(uid);
    if (uid !== undefined && !existing) return fail(404, `contact point ${uid} not found`);
    const newUid = uid ?? (typeof body.uid === 'string' && body.uid ? body.uid : `cp${this.nextId++}`);
    if (uid === undefined && this.contactPoints.has(newUid))
      return fail(400, `a contact point with uid ${newUid} already exists`);
    if (uid !== undefined && typeof body.uid === 'string' && body.uid !== uid)
      return fail(400, 'the uid in the body differs from the uid in the path');
    const settings: Json = { ...(body.settings as Json) };
    for (const key of SECURE_SETTINGS[type]!) {
      if (settings[key] === REDACTED) settings[key] = existing?.settings[key];
    }
    const secret = REQUIRED_SECRET[type];
    if (secret && (typeof settings[secret] !== 'string' || settings[secret] === '')) {
      return fail(400, `${type}: ${secret} is required`);
    }
    const stored: StoredContactPoint = {
      uid: newUid,
      name: typeof body.name === 'string' && body.name ? body.name : newUid,
      type,
      settings,
      disableResolveMessage: body.disableResolveMessage === true,
      provenance: 'api',
    };
    this.contactPoints.set(newUid, stored);
    return ok(this.redacted(stored), 202);
  }

  private putPolicies(body: Json): Answer {
    const names = new Set([...this.contactPoints.values()].map((c) => c.name));
    const unknown = receivers(body).filter((r) => !names.has(r));
    if (!body?.receiver) return fail(400, 'the root route must name a receiver');
    if (unknown.length > 0) return fail(400, `receiver '${unknown[0]}' does not exist`);
    this.policyTree = { ...body, provenance: 'api' };
    return ok({ message: 'policies updated' }, 202);
  }

  private redacted(c: StoredContactPoint): Json {
    const settings = { ...c.settings };
    for (const key of SECURE_SETTINGS[c.type] ?? []) if (key in settings) settings[key] = REDACTED;
    return { ...c, settings };
  }
}

function receivers(route: Json): string[] {
  const own = typeof route.receiver === 'string' ? [route.receiver] : [];
  const children = Array.isArray(route.routes) ? (route.routes as Json[]) : [];
  return [...own, ...children.flatMap(receivers)];
}

function ruleProblem(r: Json, seen: Set<string>): string | undefined {
  if (typeof r.title !== 'string' || r.title === '') return 'title is required';
  if (typeof r.uid !== 'string' || r.uid.length === 0 || r.uid.length > 40)
    return 'uid must be 1 to 40 characters';
  if (seen.has(r.uid)) return 'uid is not unique in the group';
  seen.add(r.uid);
  const data = Array.isArray(r.data) ? (r.data as Json[]) : [];
  if (data.length === 0) return 'data is required';
  if (!data.some((q) => q.refId === r.condition))
    return `condition ${String(r.condition)} is not a refId of data`;
  if (!NO_DATA_STATES.includes(String(r.noDataState))) return `noDataState ${String(r.noDataState)}`;
  if (!EXEC_ERR_STATES.includes(String(r.execErrState))) return `execErrState ${String(r.execErrState)}`;
  for (const q of data) {
    if (typeof q.datasourceUid !== 'string' || q.datasourceUid === '')
      return `query ${String(q.refId)} has no datasource`;
  }
  return undefined;
}
