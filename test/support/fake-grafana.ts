/**
 * A stand-in for the Grafana HTTP API over real HTTP on 127.0.0.1, answering the endpoints the
 * publisher and the release engine use as Grafana's HTTP API docs describe them (Grafana 11.6):
 * Bearer-token auth (401 otherwise), search by tag, folders (404 when absent, 412 on a stale
 * version), dashboards by uid and POST /api/dashboards/db (412 `version-mismatch` / `name-exists`,
 * 400 for a missing title or folder), delete by uid, and annotations. And the alerting provisioning
 * API (./fake-grafana-alerting.ts): rule groups by folder, contact points with their secrets
 * redacted on read, and the notification policy tree. And the data source API
 * (./fake-grafana-datasources.ts). Tests inject faults (5xx, 401, anything) per
 * request and read the request log to prove what was, or was not, written.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeAlerting } from './fake-grafana-alerting';
import { FakeDatasources } from './fake-grafana-datasources';

export interface StoredFolder {
  id: number;
  uid: string;
  title: string;
  version: number;
}

export interface StoredDashboardRecord {
  id: number;
  folderUid: string;
  /** As Grafana stores it: the saved JSON with its own `id`, `uid` and `version`. */
  dashboard: Record<string, unknown> & { uid: string; title: string; version: number; tags?: string[] };
  /** Version messages, oldest first. */
  messages: string[];
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

export interface Fault {
  readonly method: string;
  /** Matches the request path (query string included). */
  readonly path: RegExp;
  /** Narrows the fault to requests whose JSON body passes, e.g. the save of one dashboard. */
  readonly when?: (body: unknown) => boolean;
  readonly status: number;
  readonly body?: unknown;
  /** Carry the request out, then answer with the fault anyway: a reply lost on the way back. */
  readonly afterApplying?: boolean;
  /** How many matching requests fail before the fault is spent (default 1). */
  times?: number;
}

export interface Annotation {
  id: number;
  time: number;
  tags: string[];
  text: string;
  dashboardUID?: string;
}

export class FakeGrafana {
  readonly folders = new Map<string, StoredFolder>();
  readonly dashboards = new Map<string, StoredDashboardRecord>();
  readonly annotations: Annotation[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Rule groups, contact points and the policy tree, as Grafana's provisioning API holds them. */
  readonly alerting = new FakeAlerting((uid) => this.folders.has(uid));
  /** Datasources, as Grafana's data source HTTP API holds them (./fake-grafana-datasources.ts). */
  readonly datasources = new FakeDatasources();
  private readonly faults: Fault[] = [];
  private nextId = 1;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly token: string,
  ) {}

  static async start(token = 'glsa_fake_service_account_token'): Promise<FakeGrafana> {
    const holder: { fake?: FakeGrafana } = {};
    const server = createServer((req, res) => void holder.fake!.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    holder.fake = new FakeGrafana(server, `http://127.0.0.1:${port}`, token);
    return holder.fake;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  /** Requests that could change state: what a "writes nothing" test counts. */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  /** Seeds a dashboard as if someone had saved it through the UI. */
  seedDashboard(dashboard: Record<string, unknown> & { uid: string; title: string }, folderUid = ''): void {
    this.dashboards.set(dashboard.uid, {
      id: this.nextId,
      folderUid,
      dashboard: { ...dashboard, id: this.nextId++, version: 1 },
      messages: ['seeded'],
    });
  }

  seedFolder(uid: string, title: string): void {
    this.folders.set(uid, { id: this.nextId++, uid, title, version: 1 });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return send(res, 400, { message: 'bad request data' });
    }
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    this.requests.push({ method, path, body, authorization: req.headers.authorization });

    const fault = this.faults.find(
      (f) => f.method === method && f.path.test(path) && (f.times ?? 0) > 0 && (!f.when || f.when(body)),
    );
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      const answer = () => send(res, fault.status, fault.body ?? { message: `injected ${fault.status}` });
      if (!fault.afterApplying) return answer();
      return this.route(method, path, body, {
        writeHead: () => res,
        end: answer,
      } as unknown as ServerResponse);
    }
    return this.route(method, path, body, res);
  }

  private route(method: string, path: string, body: unknown, res: ServerResponse): void {
    const authorization = this.requests.at(-1)?.authorization;
    if (authorization === undefined) return send(res, 401, { message: 'Unauthorized' });
    if (authorization !== `Bearer ${this.token}`) {
      // Grafana 11's answer to an unknown or revoked service-account token.
      return send(res, 401, {
        message: 'Invalid API key',
        messageId: 'api-key.invalid',
        statusCode: 401,
        traceID: '',
      });
    }
    const url = new URL(path, this.url);
    const route = `${method} ${url.pathname}`;
    let m: RegExpMatchArray | null;
    if (route === 'GET /api/search') return send(res, 200, this.search(url.searchParams));
    if (route === 'POST /api/folders')
      return this.createFolder(res, body as { uid?: string; title?: string });
    if ((m = route.match(/^GET \/api\/folders\/([^/]+)$/))) {
      const folder = this.folders.get(decodeURIComponent(m[1]!));
      return folder
        ? send(res, 200, this.folderJson(folder))
        : send(res, 404, { message: 'Folder not found', status: 'not-found' });
    }
    if ((m = route.match(/^PUT \/api\/folders\/([^/]+)$/))) {
      return this.updateFolder(res, decodeURIComponent(m[1]!), body as Record<string, unknown>);
    }
    if ((m = route.match(/^GET \/api\/dashboards\/uid\/([^/]+)$/))) {
      const d = this.dashboards.get(decodeURIComponent(m[1]!));
      if (!d) return send(res, 404, { message: 'Dashboard not found' });
      return send(res, 200, {
        dashboard: d.dashboard,
        meta: {
          type: 'db',
          canSave: true,
          slug: slug(d.dashboard.title),
          url: `/d/${d.dashboard.uid}/${slug(d.dashboard.title)}`,
          version: d.dashboard.version,
          folderUid: d.folderUid,
          folderTitle: this.folders.get(d.folderUid)?.title ?? 'General',
        },
      });
    }
    if (route === 'POST /api/dashboards/db') return this.saveDashboard(res, body as Record<string, unknown>);
    const datasource = this.datasources.route(method, url.pathname, body);
    if (datasource) return send(res, datasource.status, datasource.body);
    if (url.pathname.startsWith('/api/v1/provisioning/')) {
      const answer = this.alerting.route(method, url, body);
      return send(res, answer.status, answer.body);
    }
    if ((m = route.match(/^DELETE \/api\/dashboards\/uid\/([^/]+)$/))) {
      const uid = decodeURIComponent(m[1]!);
      const d = this.dashboards.get(uid);
      if (!d) return send(res, 404, { message: 'Dashboard not found' });
      this.dashboards.delete(uid);
      return send(res, 200, {
        title: d.dashboard.title,
        message: `Dashboard ${d.dashboard.title} deleted`,
        id: d.id,
      });
    }
    if (route === 'POST /api/annotations') {
      const a = body as Partial<Annotation>;
      if (typeof a.text !== 'string') return send(res, 400, { message: 'text is required' });
      const annotation: Annotation = {
        id: this.nextId++,
        time: a.time ?? Date.now(),
        tags: a.tags ?? [],
        text: a.text,
        ...(a.dashboardUID ? { dashboardUID: a.dashboardUID } : {}),
      };
      this.annotations.push(annotation);
      return send(res, 200, { message: 'Annotation added', id: annotation.id });
    }
    return send(res, 404, { message: 'Not found' });
  }

  /** Several `tag` parameters must all match, as in Grafana. */
  private search(params: URLSearchParams): unknown[] {
    const tags = params.getAll('tag');
    const type = params.get('type');
    if (type && type !== 'dash-db') return [];
    return [...this.dashboards.values()]
      .filter((d) => tags.every((t) => (d.dashboard.tags ?? []).includes(t)))
      .map((d) => ({
        id: d.id,
        uid: d.dashboard.uid,
        title: d.dashboard.title,
        url: `/d/${d.dashboard.uid}/${slug(d.dashboard.title)}`,
        slug: '',
        type: 'dash-db',
        tags: d.dashboard.tags ?? [],
        isStarred: false,
        sortMeta: 0,
        ...(d.folderUid
          ? {
              folderId: this.folders.get(d.folderUid)?.id,
              folderUid: d.folderUid,
              folderTitle: this.folders.get(d.folderUid)?.title,
              folderUrl: `/dashboards/f/${d.folderUid}/`,
            }
          : {}),
      }));
  }

  private createFolder(res: ServerResponse, body: { uid?: string; title?: string }): void {
    if (!body?.title) return send(res, 400, { message: 'folder title cannot be empty' });
    const uid = body.uid ?? `f${this.nextId}`;
    if (this.folders.has(uid))
      return send(res, 409, { message: 'a folder with the same uid already exists' });
    const folder = { id: this.nextId++, uid, title: body.title, version: 1 };
    this.folders.set(uid, folder);
    send(res, 200, this.folderJson(folder));
  }

  private updateFolder(res: ServerResponse, uid: string, body: Record<string, unknown>): void {
    const folder = this.folders.get(uid);
    if (!folder) return send(res, 404, { message: 'Folder not found', status: 'not-found' });
    if (body.overwrite !== true && body.version !== folder.version) {
      return send(res, 412, {
        message: 'the folder has been changed by someone else',
        status: 'version-mismatch',
      });
    }
    folder.title = String(body.title);
    folder.version += 1;
    send(res, 200, this.folderJson(folder));
  }

  private saveDashboard(res: ServerResponse, body: Record<string, unknown>): void {
    const dashboard = body.dashboard as Record<string, unknown> | undefined;
    if (!dashboard || typeof dashboard.title !== 'string' || dashboard.title.trim() === '') {
      return send(res, 400, { message: 'Dashboard title cannot be empty', status: 'empty-name' });
    }
    const folderUid = typeof body.folderUid === 'string' ? body.folderUid : '';
    if (folderUid && !this.folders.has(folderUid)) return send(res, 400, { message: 'folder not found' });
    const uid = typeof dashboard.uid === 'string' && dashboard.uid ? dashboard.uid : `d${this.nextId}`;
    const existing = this.dashboards.get(uid);
    const overwrite = body.overwrite === true;
    if (existing && !overwrite && dashboard.version !== existing.dashboard.version) {
      return send(res, 412, {
        message: 'The dashboard has been changed by someone else',
        status: 'version-mismatch',
      });
    }
    const clash = [...this.dashboards.values()].find(
      (d) => d.dashboard.uid !== uid && d.folderUid === folderUid && d.dashboard.title === dashboard.title,
    );
    if (clash && !overwrite) {
      return send(res, 412, {
        message: 'A dashboard with the same name in the folder already exists',
        status: 'name-exists',
      });
    }
    const id = existing?.id ?? this.nextId++;
    const version = (existing?.dashboard.version ?? 0) + 1;
    const message = typeof body.message === 'string' ? body.message : '';
    this.dashboards.set(uid, {
      id,
      folderUid,
      dashboard: { ...dashboard, id, uid, version } as unknown as StoredDashboardRecord['dashboard'],
      messages: [...(existing?.messages ?? []), message],
    });
    send(res, 200, {
      id,
      uid,
      url: `/d/${uid}/${slug(dashboard.title)}`,
      status: 'success',
      version,
      slug: slug(dashboard.title),
    });
  }

  private folderJson(f: StoredFolder): Record<string, unknown> {
    return {
      id: f.id,
      uid: f.uid,
      title: f.title,
      url: `/dashboards/f/${f.uid}/${slug(f.title)}`,
      version: f.version,
    };
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
