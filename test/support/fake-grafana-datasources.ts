/**
 * Grafana's data source HTTP API, as the fake Grafana answers it, from Grafana's own documentation
 * of it (grafana/grafana docs/sources/developers/http_api/data_source.md, Grafana 11):
 * - GET /api/datasources/uid/:uid: the datasource (`id`, `uid`, `orgId`, `name`, `type`, `access`,
 *   `jsonData`, `secureJsonFields`, `version`, `readOnly`, …), 404 `Data source not found`;
 * - POST /api/datasources: `{ datasource, id, message: "Datasource added", name }`; 409 when the
 *   name (or uid) is taken;
 * - PUT /api/datasources/uid/:uid: the whole datasource replaced (`jsonData` included),
 *   `{ datasource, id, message: "Datasource updated", name }`; 404 when absent, 403 for a
 *   datasource provisioned from a file (read-only), 409 for a stale `version`.
 */
export interface StoredDatasourceRecord {
  id: number;
  uid: string;
  orgId: number;
  name: string;
  type: string;
  typeLogoUrl: string;
  access: string;
  url: string;
  user: string;
  database: string;
  basicAuth: boolean;
  isDefault: boolean;
  jsonData: Record<string, unknown>;
  secureJsonFields: Record<string, boolean>;
  version: number;
  readOnly: boolean;
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const ACCESS = ['proxy', 'direct'];

export class FakeDatasources {
  readonly byUid = new Map<string, StoredDatasourceRecord>();
  private nextId = 1;

  /** Seeds a datasource as if an admin or a provisioning file had made it. */
  seed(fields: Partial<StoredDatasourceRecord> & { uid: string; name: string; type: string }): void {
    this.byUid.set(fields.uid, this.record({ access: 'proxy', jsonData: {}, readOnly: false, ...fields }));
  }

  route(method: string, path: string, body: unknown): Answer | undefined {
    const m = /^\/api\/datasources\/uid\/([^/]+)$/.exec(path);
    if (method === 'GET' && m) {
      const ds = this.byUid.get(decodeURIComponent(m[1]!));
      return ds ? { status: 200, body: ds } : { status: 404, body: { message: 'Data source not found' } };
    }
    if (method === 'POST' && path === '/api/datasources') return this.create(body);
    if (method === 'PUT' && m) return this.update(decodeURIComponent(m[1]!), body);
    return undefined;
  }

  private invalid(b: Record<string, unknown>): Answer | undefined {
    if (typeof b.name !== 'string' || b.name === '')
      return { status: 400, body: { message: 'Required: name' } };
    if (typeof b.type !== 'string' || b.type === '')
      return { status: 400, body: { message: 'Required: type' } };
    if (b.access !== undefined && !ACCESS.includes(b.access as string))
      return { status: 400, body: { message: `invalid access value: ${String(b.access)}` } };
    return undefined;
  }

  private create(body: unknown): Answer {
    const b = (body ?? {}) as Record<string, unknown>;
    const bad = this.invalid(b);
    if (bad) return bad;
    const taken = [...this.byUid.values()].some((d) => d.name === b.name || d.uid === b.uid);
    if (taken) return { status: 409, body: { message: 'data source with the same name already exists' } };
    const ds = this.record({
      ...(b as Partial<StoredDatasourceRecord>),
      readOnly: false,
    } as StoredDatasourceRecord);
    this.byUid.set(ds.uid, ds);
    return { status: 200, body: { datasource: ds, id: ds.id, message: 'Datasource added', name: ds.name } };
  }

  private update(uid: string, body: unknown): Answer {
    const stored = this.byUid.get(uid);
    if (!stored) return { status: 404, body: { message: 'Data source not found' } };
    if (stored.readOnly) return { status: 403, body: { message: 'Cannot update read-only data source' } };
    const b = (body ?? {}) as Record<string, unknown>;
    const bad = this.invalid(b);
    if (bad) return bad;
    if (typeof b.version === 'number' && b.version !== stored.version)
      return {
        status: 409,
        body: { message: 'Datasource has already been updated by someone else. Please reload and try again' },
      };
    const clash = [...this.byUid.values()].some((d) => d.uid !== uid && d.name === b.name);
    if (clash) return { status: 409, body: { message: 'data source with the same name already exists' } };
    const ds: StoredDatasourceRecord = {
      ...stored,
      name: b.name as string,
      type: b.type as string,
      access: (b.access as string | undefined) ?? stored.access,
      // The whole datasource is replaced: jsonData left out is cleared.
      jsonData: (b.jsonData as Record<string, unknown> | undefined) ?? {},
      version: stored.version + 1,
    };
    this.byUid.set(uid, ds);
    return { status: 200, body: { datasource: ds, id: ds.id, message: 'Datasource updated', name: ds.name } };
  }

  private record(
    f: Partial<StoredDatasourceRecord> & { name: string; type: string },
  ): StoredDatasourceRecord {
    const id = this.nextId++;
    return {
      id,
      uid: f.uid ?? `ds${id}`,
      orgId: 1,
      name: f.name,
      type: f.type,
      typeLogoUrl: '',
      access: f.access ?? 'proxy',
      url: '',
      user: '',
      database: '',
      basicAuth: false,
      isDefault: false,
      jsonData: f.jsonData ?? {},
      secureJsonFields: {},
      version: 1,
      readOnly: f.readOnly ?? false,
    };
  }
}
