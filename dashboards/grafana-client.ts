/**
 * A small client for the parts of Grafana's HTTP API that TDR uses (Grafana 11.6): search,
 * folders, dashboards, annotations and the alerting provisioning API (rule groups, contact points,
 * the notification policy tree). It authenticates with a service-account token as a Bearer
 * header, retries server errors and unreachable Grafana, and turns every failure into a typed error
 * that says what was being attempted. The token is kept private and never appears in a message.
 *
 * Every call has a bounded time: each attempt is cancelled (an AbortSignal on `fetch`, which closes
 * its socket) after `attemptTimeoutMs`, and the call with its retries and back-off ends within
 * `totalTimeoutMs`. A request only abandoned, not cancelled, kept `tdr` alive for as long as a hung
 * Grafana held its socket (issue 24, item 2). A caller's `signal` cancels a call at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import { PlatformError } from '../services/errors';

export interface GrafanaClientOptions {
  /** Base URL, e.g. `https://g-abc.grafana-workspace.eu-west-2.amazonaws.com`. */
  readonly url: string;
  readonly token: string;
  /** Defaults to Node's global fetch. */
  readonly fetch?: typeof fetch;
  /** Extra attempts after a 5xx or a connection failure (default 3). */
  readonly retries?: number;
  /** First back-off delay, doubled per attempt (default 250 ms). */
  readonly retryDelayMs?: number;
  /** One attempt is cancelled after this (default 10 s). */
  readonly attemptTimeoutMs?: number;
  /** A call, its retries and back-off included, ends within this (default 30 s). */
  readonly totalTimeoutMs?: number;
}

/** Per call: a signal that cancels it (e.g. the caller's own deadline). */
export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
}

/** The URL given for Grafana is not one: nothing was called. */
export class GrafanaUrlError extends PlatformError {
  readonly kind = 'invalid';
  constructor(readonly url: string) {
    super(`--url ${url} is not a URL (e.g. https://grafana.example)`);
    this.name = 'GrafanaUrlError';
  }
}

/** Base of every client error; `attempt` says what the platform was trying to do. */
export class GrafanaError extends PlatformError {
  readonly kind = 'failed';
  constructor(
    readonly attempt: string,
    readonly status: number | undefined,
    detail: string,
  ) {
    super(`${attempt}: ${detail}`);
    this.name = new.target.name;
  }
}

/** 401/403: the token is missing, wrong, expired, or lacks the role for this call. */
export class GrafanaUnauthorisedError extends GrafanaError {}
export class GrafanaNotFoundError extends GrafanaError {}
/** 412: the dashboard changed in Grafana since it was read (`version-mismatch`) or its title is taken. */
export class GrafanaVersionConflictError extends GrafanaError {
  constructor(
    attempt: string,
    readonly reason: string,
    detail: string,
  ) {
    super(attempt, 412, detail);
  }
}
/** 400 and other 4xx: Grafana refused the request as given. */
export class GrafanaRejectedError extends GrafanaError {}
/** 5xx still failing after every retry. */
export class GrafanaServerError extends GrafanaError {}
/** No HTTP answer at all (refused, DNS, TLS, reset) after every retry. */
export class GrafanaUnreachableError extends GrafanaError {}

export interface GrafanaFolder {
  readonly uid: string;
  readonly title: string;
  readonly version?: number;
}

export interface DashboardSearchHit {
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly folderUid?: string;
}

export interface StoredDashboard {
  readonly dashboard: Record<string, unknown> & { version?: number; uid?: string };
  readonly meta: { readonly folderUid?: string; readonly version?: number };
}

export interface SaveDashboardRequest {
  /** Without `id`; with `version` when replacing a dashboard Grafana already has. */
  readonly dashboard: Record<string, unknown>;
  readonly folderUid: string;
  readonly message: string;
}

export interface SaveDashboardResult {
  readonly uid: string;
  readonly version: number;
  readonly url?: string;
}

export interface AnnotationRequest {
  /** Epoch milliseconds. */
  readonly time: number;
  readonly tags: readonly string[];
  readonly text: string;
  /** Pins the annotation to one dashboard; omit for an organisation-wide annotation. */
  readonly dashboardUID?: string;
}

/** What TDR sends for a datasource: no secrets (the workspace role's own credentials). */
export interface DatasourceRequest {
  readonly uid: string;
  readonly name: string;
  readonly type: string;
  readonly access: 'proxy';
  readonly jsonData: Readonly<Record<string, unknown>>;
}

export interface StoredDatasource extends Partial<DatasourceRequest> {
  readonly id?: number;
  readonly version?: number;
  /** Provisioned from a file: Grafana refuses API changes to it. */
  readonly readOnly?: boolean;
}

interface RequestOptions {
  readonly body?: unknown;
  /** Answer `undefined` for 404 instead of throwing (a lookup, not an error). */
  readonly absentOn404?: boolean;
  readonly signal?: AbortSignal | undefined;
}

export class GrafanaClient {
  readonly url: string;
  readonly #token: string;
  readonly #fetch: typeof fetch;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  readonly #attemptTimeoutMs: number;
  readonly #totalTimeoutMs: number;

  constructor(options: GrafanaClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new GrafanaUrlError(options.url);
    }
    this.url = parsed.toString().replace(/\/+$/, '');
    this.#token = options.token;
    this.#fetch = options.fetch ?? fetch;
    this.#retries = options.retries ?? 3;
    this.#retryDelayMs = options.retryDelayMs ?? 250;
    this.#attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
    this.#totalTimeoutMs = options.totalTimeoutMs ?? 30_000;
  }

  /** Every dashboard carrying `tag` (GET /api/search). */
  async searchDashboardsByTag(tag: string): Promise<DashboardSearchHit[]> {
    const query = new URLSearchParams({ type: 'dash-db', tag, limit: '5000' });
    const hits = await this.#request<DashboardSearchHit[]>(
      `searching dashboards tagged ${tag}`,
      'GET',
      `/api/search?${query.toString()}`,
    );
    return hits ?? [];
  }

  /** The folder, or undefined when Grafana has none with that uid (GET /api/folders/:uid). */
  getFolder(uid: string): Promise<GrafanaFolder | undefined> {
    return this.#request(`reading folder ${uid}`, 'GET', `/api/folders/${encodeURIComponent(uid)}`, {
      absentOn404: true,
    });
  }

  async createFolder(folder: { uid: string; title: string }): Promise<GrafanaFolder> {
    return (await this.#request<GrafanaFolder>(`creating folder ${folder.uid}`, 'POST', '/api/folders', {
      body: folder,
    }))!;
  }

  async updateFolder(folder: { uid: string; title: string; version: number }): Promise<GrafanaFolder> {
    return (await this.#request<GrafanaFolder>(
      `renaming folder ${folder.uid}`,
      'PUT',
      `/api/folders/${encodeURIComponent(folder.uid)}`,
      { body: { title: folder.title, version: folder.version, overwrite: false } },
    ))!;
  }

  /** The dashboard and its metadata, or undefined when absent (GET /api/dashboards/uid/:uid). */
  getDashboard(uid: string): Promise<StoredDashboard | undefined> {
    return this.#request(
      `reading dashboard ${uid}`,
      'GET',
      `/api/dashboards/uid/${encodeURIComponent(uid)}`,
      {
        absentOn404: true,
      },
    );
  }

  /**
   * Creates or replaces a dashboard (POST /api/dashboards/db) without `overwrite`, so a dashboard
   * changed in Grafana since it was read is refused with 412 rather than silently replaced.
   */
  async saveDashboard(request: SaveDashboardRequest): Promise<SaveDashboardResult> {
    const uid = typeof request.dashboard.uid === 'string' ? request.dashboard.uid : '(no uid)';
    return (await this.#request<SaveDashboardResult>(
      `saving dashboard ${uid}`,
      'POST',
      '/api/dashboards/db',
      {
        body: {
          dashboard: request.dashboard,
          folderUid: request.folderUid,
          message: request.message,
          overwrite: false,
        },
      },
    ))!;
  }

  async deleteDashboard(uid: string): Promise<void> {
    await this.#request(
      `deleting dashboard ${uid}`,
      'DELETE',
      `/api/dashboards/uid/${encodeURIComponent(uid)}`,
    );
  }

  /** POST /api/annotations: the release engine marks deploys with it. */
  async createAnnotation(annotation: AnnotationRequest, call: CallOptions = {}): Promise<{ id: number }> {
    const result = await this.#request<{ id: number }>(
      `adding annotation "${annotation.text}"`,
      'POST',
      '/api/annotations',
      { body: { ...annotation, tags: [...annotation.tags] }, signal: call.signal },
    );
    return { id: result!.id };
  }

  /** A rule group as Grafana holds it, or undefined when the folder has no such group. */
  getRuleGroup(folderUid: string, group: string): Promise<alerting.RuleGroup | undefined> {
    return this.#request(`reading rule group ${group}`, 'GET', ruleGroupPath(folderUid, group), {
      absentOn404: true,
    });
  }

  /**
   * Creates or replaces a rule group: rules in the body are created or updated by uid, rules of
   * the group missing from it are deleted. Without `X-Disable-Provenance`, so the rules are
   * locked in Grafana's UI: they are changed here, in code.
   */
  async putRuleGroup(group: alerting.RuleGroup & { title: string; folderUid: string }): Promise<void> {
    await this.#request(
      `saving rule group ${group.title}`,
      'PUT',
      ruleGroupPath(group.folderUid, group.title),
      { body: group },
    );
  }

  /**
   * A datasource by uid (GET /api/datasources/uid/:uid), `undefined` if Grafana has none. Grafana's
   * data source HTTP API (docs/sources/developers/http_api/data_source.md in grafana/grafana).
   */
  async getDatasource(uid: string): Promise<StoredDatasource | undefined> {
    return this.#request<StoredDatasource>(
      `reading datasource ${uid}`,
      'GET',
      `/api/datasources/uid/${encodeURIComponent(uid)}`,
      { absentOn404: true },
    );
  }

  /** POST /api/datasources: 409 when the name is taken by another datasource. */
  async createDatasource(datasource: DatasourceRequest): Promise<void> {
    await this.#request(`creating datasource ${datasource.uid}`, 'POST', '/api/datasources', {
      body: datasource,
    });
  }

  /** PUT /api/datasources/uid/:uid, the whole datasource (fields left out are cleared). */
  async updateDatasource(datasource: DatasourceRequest & { version?: number }): Promise<void> {
    await this.#request(
      `updating datasource ${datasource.uid}`,
      'PUT',
      `/api/datasources/uid/${encodeURIComponent(datasource.uid)}`,
      { body: datasource },
    );
  }

  /** Every contact point; secret settings come back redacted. */
  async listContactPoints(): Promise<alerting.ContactPoint[]> {
    return (
      (await this.#request<alerting.ContactPoint[]>(
        'reading contact points',
        'GET',
        '/api/v1/provisioning/contact-points',
      )) ?? []
    );
  }

  async createContactPoint(contactPoint: alerting.ContactPoint): Promise<void> {
    await this.#request(
      `creating contact point ${contactPoint.uid ?? contactPoint.name ?? ''}`,
      'POST',
      '/api/v1/provisioning/contact-points',
      { body: contactPoint },
    );
  }

  async updateContactPoint(contactPoint: alerting.ContactPoint & { uid: string }): Promise<void> {
    await this.#request(
      `updating contact point ${contactPoint.uid}`,
      'PUT',
      `/api/v1/provisioning/contact-points/${encodeURIComponent(contactPoint.uid)}`,
      { body: contactPoint },
    );
  }

  async getPolicyTree(): Promise<alerting.NotificationPolicy> {
    return (
      (await this.#request<alerting.NotificationPolicy>(
        'reading the notification policy tree',
        'GET',
        '/api/v1/provisioning/policies',
      )) ?? {}
    );
  }

  /** Replaces the organisation's whole notification policy tree. */
  async putPolicyTree(tree: alerting.NotificationPolicy): Promise<void> {
    await this.#request('saving the notification policy tree', 'PUT', '/api/v1/provisioning/policies', {
      body: tree,
    });
  }

  async #request<T>(
    attempt: string,
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<T | undefined> {
    const init: RequestInit = {
      method,
      headers: {
        Authorization: `Bearer ${this.#token}`,
        Accept: 'application/json',
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    };
    const deadline = Date.now() + this.#totalTimeoutMs;
    for (let tries = 0; ; tries++) {
      const left = deadline - Date.now();
      const attemptMs = Math.min(this.#attemptTimeoutMs, left);
      const timeout = AbortSignal.timeout(Math.max(1, attemptMs));
      const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
      let response: Response;
      let text: string;
      try {
        response = await this.#fetch(`${this.url}${path}`, { ...init, signal });
        // The body is part of the answer: a Grafana that sends headers and stalls is cut off too.
        text = await response.text();
      } catch (err) {
        if (options.signal?.aborted) throw this.#cancelled(attempt, options.signal);
        const why = timeout.aborted ? `no answer within ${attemptMs} ms` : causeOf(err);
        if (await this.#retryAfterBackOff(tries, deadline, options.signal)) continue;
        if (options.signal?.aborted) throw this.#cancelled(attempt, options.signal);
        throw new GrafanaUnreachableError(
          attempt,
          undefined,
          `Grafana at ${this.url} did not answer after ${attempts(tries + 1)} (${why})`,
        );
      }
      if (response.ok) return (text ? JSON.parse(text) : undefined) as T;
      if (response.status >= 500 && (await this.#retryAfterBackOff(tries, deadline, options.signal)))
        continue;
      const message = messageOf(text) ?? response.statusText;
      if (response.status === 404 && options.absentOn404) return undefined;
      throw this.#error(attempt, response.status, message, text, tries + 1);
    }
  }

  #cancelled(attempt: string, signal: AbortSignal): GrafanaUnreachableError {
    const reason = signal.reason instanceof Error ? signal.reason.message : 'cancelled by the caller';
    return new GrafanaUnreachableError(attempt, undefined, `cancelled: ${reason}`);
  }

  #error(attempt: string, status: number, message: string, body: string, count: number): GrafanaError {
    if (status === 401 || status === 403) {
      return new GrafanaUnauthorisedError(
        attempt,
        status,
        `Grafana refused the token (${status} ${message}): check GRAFANA_TOKEN is a current service-account token with the Editor role`,
      );
    }
    if (status === 404) return new GrafanaNotFoundError(attempt, status, `not found (${message})`);
    if (status === 412) {
      const reason = statusOf(body) ?? 'precondition-failed';
      return new GrafanaVersionConflictError(
        attempt,
        reason,
        `Grafana refused the change (${reason}: ${message})`,
      );
    }
    if (status >= 500) {
      return new GrafanaServerError(
        attempt,
        status,
        `Grafana failed with ${status} ${message} after ${attempts(count)}`,
      );
    }
    return new GrafanaRejectedError(attempt, status, `Grafana rejected it (${status} ${message})`);
  }

  /**
   * Waits out the back-off before another attempt, when one is left and the back-off ends before
   * the call's deadline; false when the call should give up now.
   */
  async #retryAfterBackOff(
    tries: number,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<boolean> {
    const delay = this.#retryDelayMs * 2 ** tries;
    if (tries >= this.#retries || Date.now() + delay >= deadline) return false;
    try {
      await sleep(delay, undefined, signal ? { signal } : undefined);
    } catch {
      return false; // cancelled by the caller while waiting
    }
    return true;
  }
}

function ruleGroupPath(folderUid: string, group: string): string {
  return `/api/v1/provisioning/folder/${encodeURIComponent(folderUid)}/rule-groups/${encodeURIComponent(group)}`;
}

function parse(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function messageOf(body: string): string | undefined {
  const m = parse(body)?.message;
  return typeof m === 'string' ? m : undefined;
}

function statusOf(body: string): string | undefined {
  const s = parse(body)?.status;
  return typeof s === 'string' ? s : undefined;
}

function attempts(n: number): string {
  return n === 1 ? '1 attempt' : `${n} attempts`;
}

function causeOf(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
