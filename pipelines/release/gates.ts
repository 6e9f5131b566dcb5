/**
 * Promotion gates: pure functions of the platform model, the ledger and an injected clock.
 * Every gate is evaluated and every verdict returned, so a refusal lists all its reasons at once.
 */
import type { Environment, EnvironmentName, FreezeWindow, Weekday } from '../../services/environments';
import { PlatformError } from '../../services/errors';
import { isReleaseVersion } from '../../services/versions';
import { latestCheck, succeededRelease, type LedgerRecord, type ReleaseAction } from './ledger';

type Promotion = NonNullable<Environment['promotion']>;

export interface GateVerdict {
  readonly gate: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface GateInput {
  readonly action: ReleaseAction;
  readonly service: string;
  readonly target: Environment;
  /** Null when there is none to release (nothing succeeded upstream, nothing to roll back to). */
  readonly version: string | null;
  /** The digest about to be deployed (resolved from ECR now). */
  readonly digest: string;
  readonly actor: string;
  readonly approver: string | null;
  readonly breakGlass: boolean;
  readonly reason: string | null;
  readonly now: Date;
  /** The source environment's ledger records (empty when the source is the build). */
  readonly upstream: readonly LedgerRecord[];
  /** The target environment's ledger records. */
  readonly here: readonly LedgerRecord[];
}

/** One or more gates refused; every refusal is listed at once. */
export class GateRefusedError extends PlatformError {
  readonly kind = 'refused';
  constructor(readonly verdicts: readonly GateVerdict[]) {
    const refused = verdicts.filter((v) => !v.ok);
    super(
      `refused by ${refused.length} gate${refused.length === 1 ? '' : 's'}:\n` +
        refused.map((v) => `  [NG] ${v.gate}: ${v.detail}`).join('\n'),
    );
    this.name = 'GateRefusedError';
  }
}

export function evaluateGates(input: GateInput): GateVerdict[] {
  const promotion = input.target.promotion;
  if (!promotion) {
    return [
      verdict(
        'order',
        false,
        `${input.target.name} is not a workload environment: nothing is released there`,
      ),
    ];
  }
  if (input.action === 'rollback') return rollbackGates(input);

  const verdicts: GateVerdict[] = [];
  const fromBuild = promotion.source === 'build';
  const expected: ReleaseAction = fromBuild ? 'deploy' : 'promote';
  verdicts.push(
    verdict(
      'order',
      input.action === expected,
      input.action === expected
        ? fromBuild
          ? `${input.target.name} is fed by the build`
          : `${input.target.name} is promoted from ${promotion.source}`
        : fromBuild
          ? `${input.target.name} is fed by the build: use tdr deploy, not tdr promote`
          : `${input.target.name} takes only versions promoted from ${promotion.source}: use tdr promote --to ${input.target.name}`,
    ),
  );

  const version = input.version;
  if (version === null) {
    verdicts.push(
      fromBuild
        ? verdict('version', false, 'no version given')
        : verdict(
            'succeeded upstream',
            false,
            `no version of ${input.service} has succeeded in ${promotion.source}: nothing to promote`,
          ),
    );
  } else {
    verdicts.push(
      verdict(
        'version',
        isReleaseVersion(version),
        `${version} ${isReleaseVersion(version) ? 'is' : 'is not'} a release version (v followed by digits)`,
      ),
    );
  }

  if (!fromBuild && version !== null) {
    verdicts.push(...upstreamVerdicts(input, promotion, version));
  }
  if (promotion.approval) verdicts.push(approvalVerdict(input, promotion.approval));

  verdicts.push(...freezeVerdicts(promotion.freezeWindows, input));
  return verdicts;
}

/** A promotion's gates on the environment before: succeeded there, same digest, soak, checks. */
function upstreamVerdicts(input: GateInput, promotion: Promotion, version: string): GateVerdict[] {
  const verdicts: GateVerdict[] = [];
  const source = promotion.source as EnvironmentName;
  const upstream = succeededRelease(input.upstream, version);
  verdicts.push(
    verdict(
      'succeeded upstream',
      upstream !== undefined,
      upstream
        ? `${version} succeeded in ${source} (ledger #${upstream.seq} at ${upstream.finishedAt ?? upstream.recordedAt})`
        : `${version} has never succeeded in ${source}: promote it there first`,
    ),
  );
  if (upstream) {
    verdicts.push(
      verdict(
        'same digest',
        upstream.digest === input.digest,
        upstream.digest === input.digest
          ? `${short(input.digest)} is the digest that succeeded in ${source}`
          : `${version} now resolves to ${short(input.digest)} but ${short(upstream.digest)} succeeded in ${source}: the tag moved`,
      ),
    );
  }
  if (promotion.soakMinutes > 0) {
    if (upstream) {
      const since = Date.parse(upstream.finishedAt ?? upstream.recordedAt);
      const soaked = (input.now.getTime() - since) / 60_000;
      const ok = soaked >= promotion.soakMinutes;
      verdicts.push(
        verdict(
          'soak',
          ok,
          ok
            ? `live in ${source} for ${Math.floor(soaked)} min (needs ${promotion.soakMinutes})`
            : `live in ${source} for ${Math.floor(soaked)} min, needs ${promotion.soakMinutes}: wait ${Math.ceil(promotion.soakMinutes - soaked)} min more`,
        ),
      );
    } else {
      verdicts.push(verdict('soak', false, `${version} has not started soaking in ${source}`));
    }
  }
  for (const name of promotion.requiredChecks) {
    const check = latestCheck(input.upstream, name, input.digest);
    verdicts.push(
      verdict(
        `check ${name}`,
        check?.result === 'passed',
        check
          ? `${name} ${check.result} in ${source} for ${short(input.digest)} (ledger #${check.seq})`
          : `no ${name} result recorded in ${source} for ${short(input.digest)}: tdr check record --service ${input.service} --env ${source} --version ${version} --name ${name} --result passed`,
      ),
    );
  }
  return verdicts;
}

function approvalVerdict(input: GateInput, rule: NonNullable<Promotion['approval']>): GateVerdict {
  if (!input.approver)
    return verdict('approval', false, `${input.target.name} needs --approver from ${rule.group}`);
  if (rule.approverMustNotBePromoter && samePerson(input.approver, input.actor)) {
    return verdict(
      'approval',
      false,
      `approver ${input.approver} is the promoter: someone else from ${rule.group} must approve`,
    );
  }
  return verdict('approval', true, `approved by ${input.approver} (${rule.group})`);
}

/**
 * Rolling back restores a version this environment already ran successfully; it is the way out
 * of an incident, so promotion gates and freeze windows do not apply, but the version must have
 * succeeded here before.
 */
function rollbackGates(input: GateInput): GateVerdict[] {
  if (input.version === null) {
    return [
      verdict(
        'succeeded here before',
        false,
        `no earlier successful version of ${input.service} in ${input.target.name} to roll back to`,
      ),
    ];
  }
  const before = succeededRelease(input.here, input.version);
  const verdicts = [
    verdict(
      'succeeded here before',
      before !== undefined,
      before
        ? `${input.version} succeeded in ${input.target.name} (ledger #${before.seq})`
        : `${input.version} has never succeeded in ${input.target.name}: nothing to roll back to`,
    ),
  ];
  if (before) {
    verdicts.push(
      verdict(
        'same digest',
        before.digest === input.digest,
        before.digest === input.digest
          ? `${short(input.digest)} is the digest that ran here`
          : `${input.version} ran here as ${short(before.digest)} but is now ${short(input.digest)}`,
      ),
    );
  }
  return verdicts;
}

function freezeVerdicts(windows: readonly FreezeWindow[], input: GateInput): GateVerdict[] {
  const active = windows.filter((w) => inFreezeWindow(w, input.now));
  if (active.length === 0) {
    return windows.length > 0 ? [verdict('freeze', true, 'outside every freeze window')] : [];
  }
  const why = active
    .map((w) => `${w.reason} (${w.days.join(',')} ${w.from}-${w.to} ${w.timezone})`)
    .join('; ');
  if (input.breakGlass && input.reason) {
    return [
      verdict(
        'freeze',
        true,
        `in a freeze window, overridden by break-glass: ${input.reason} [window: ${why}]`,
      ),
    ];
  }
  return [verdict('freeze', false, `in a freeze window: ${why}; override with --break-glass --reason "…"`)];
}

/** Whether `now` falls in the window, in the window's own time zone (Europe/London keeps BST). */
export function inFreezeWindow(w: FreezeWindow, now: Date): boolean {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: w.timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const day = get('weekday') as Weekday;
  const minutes = Number(get('hour')) * 60 + Number(get('minute'));
  if (!w.days.includes(day)) return false;
  return minutes >= toMinutes(w.from) && minutes < toMinutes(w.to);
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function samePerson(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function verdict(gate: string, ok: boolean, detail: string): GateVerdict {
  return { gate, ok, detail };
}

export function short(digest: string): string {
  return digest.startsWith('sha256:') ? digest.slice(0, 19) : digest;
}
