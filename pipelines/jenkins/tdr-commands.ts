/**
 * Every `tdr` command line a generated job runs, built in one typed place: a flag renamed in
 * `cli/` is renamed here once, and `cli-contract.test.ts` parses every line against the real
 * program. Each builder also says whether its command talks to Grafana, which is what decides
 * the jobs that are given Grafana's token (least privilege).
 *
 * A command runs one of two ways. Release jobs run the `tdr` installed, at a pinned version, in
 * the agent image (`runInstalledTdr`): no clone, no `npm ci`, the same engine every run until the
 * pin moves. Jobs that render or test what is on main (the platform pipeline, the seed, the
 * dashboards) run it from their checkout (`runTdr`, `npx tdr`), so that they act on the merged code.
 */
import type { EnvironmentName } from '../../services/environments';
import type { Arg, Step } from './model';

export interface TdrCommand {
  readonly argv: readonly Arg[];
  /** Releases annotate Grafana and `dashboards publish` writes to it; nothing else needs its token. */
  readonly needsGrafana: boolean;
}

const TDR = ['tdr'] as const;

/**
 * argv → the command it was built from. The model stays plain data (renderers and tests read it),
 * so the pipeline asks here, by the argv its steps carry, what those steps need.
 */
const built = new WeakMap<readonly Arg[], TdrCommand>();

/** Flags in the order they are written; an undefined value leaves its flag out. */
type Flags = ReadonlyArray<readonly [flag: string, value: Arg | undefined]>;

function tdr(words: readonly string[], flags: Flags, needsGrafana: boolean): TdrCommand {
  const argv: readonly Arg[] = [
    ...TDR,
    ...words,
    ...flags.flatMap(([flag, value]) => (value === undefined ? [] : [flag, value])),
  ];
  const command = { argv, needsGrafana };
  built.set(argv, command);
  return command;
}

/**
 * Who did it (a display name: who acts is the agent's AWS identity) and from which build:
 * recorded in the ledger by the commands that change things.
 */
export interface Recorded {
  readonly actor?: Arg | undefined;
  readonly buildUrl?: Arg | undefined;
}

const recorded = (r: Recorded): Flags => [
  ['--actor', r.actor],
  ['--build-url', r.buildUrl],
];

/** A release is identified by the service and the environment it acts on. */
interface ServiceIn {
  readonly service: Arg;
  readonly env: EnvironmentName;
}

export const tdrDeploy = (
  o: ServiceIn & Recorded & { readonly version: Arg; readonly gitCommit?: Arg },
): TdrCommand =>
  tdr(
    ['deploy'],
    [
      ['--service', o.service],
      ['--env', o.env],
      ['--version', o.version],
      ['--git-commit', o.gitCommit],
      ...recorded(o),
    ],
    true,
  );

/** Without a version, `tdr promote` promotes the one live in the environment before. */
export const tdrPromote = (
  o: Recorded & {
    readonly service: Arg;
    readonly to: EnvironmentName;
    readonly version?: Arg;
    /** The result as JSON on stdout (`awaitingApproval` when ECS holds the deployment). */
    readonly json?: boolean;
  },
): TdrCommand =>
  tdr(
    ['promote'],
    [
      ['--service', o.service],
      ['--to', o.to],
      ['--version', o.version],
      ...recorded(o),
      ['-o', o.json ? 'json' : undefined],
    ],
    true,
  );

/**
 * Records the approval Jenkins' input step collected: the submitter, marked as approved through
 * Jenkins, with this build (the promotion's gate accepts it only for the same build).
 */
export const tdrApprove = (
  o: ServiceIn & { readonly version: Arg; readonly jenkinsApprover: Arg; readonly buildUrl: Arg },
): TdrCommand =>
  tdr(
    ['approve'],
    [
      ['--service', o.service],
      ['--env', o.env],
      ['--version', o.version],
      ['--jenkins-approver', o.jenkinsApprover],
      ['--build-url', o.buildUrl],
    ],
    false,
  );

export const tdrRollback = (o: ServiceIn & Recorded): TdrCommand =>
  tdr(['rollback'], [['--service', o.service], ['--env', o.env], ...recorded(o)], true);

/** Records a check's result for a version (prod's gate reads the e2e result on staging). */
export const tdrCheckRecord = (
  o: ServiceIn & {
    readonly version: Arg;
    readonly name: string;
    readonly result: 'passed' | 'failed';
    readonly url?: Arg;
  },
): TdrCommand =>
  tdr(
    ['check', 'record'],
    [
      ['--service', o.service],
      ['--env', o.env],
      ['--version', o.version],
      ['--name', o.name],
      ['--result', o.result],
      ['--url', o.url],
    ],
    false,
  );

/** A task input for `--input KEY=VALUE`: its value a literal or a run-time variable. */
export interface TaskInputArg {
  readonly name: string;
  readonly value: Arg;
}

/** `KEY=VALUE` as one argument; a variable's value keeps `KEY=` as its prefix. */
function inputArg({ name, value }: TaskInputArg): Arg {
  return typeof value === 'string'
    ? `${name}=${value}`
    : { env: value.env, prefix: `${name}=${value.prefix ?? ''}` };
}

/** Exits 0 only if the task's container exited 0. */
export const tdrTaskRun = (
  o: Recorded & {
    readonly task: Arg;
    readonly env: EnvironmentName;
    readonly version: Arg;
    /** The task's declared inputs (services/task-inputs.ts checks them before anything runs). */
    readonly inputs?: readonly TaskInputArg[];
  },
): TdrCommand =>
  tdr(
    ['task', 'run'],
    [
      ['--task', o.task],
      ['--env', o.env],
      ['--version', o.version],
      ...(o.inputs ?? []).map((i): readonly [string, Arg] => ['--input', inputArg(i)]),
      ...recorded(o),
    ],
    false,
  );

/**
 * A release train (issue 26): `plan` records what runs in `from` and differs from `to` (its id on
 * stdout as `trainId` with `-o json`); `approve` records the input's submitter for the whole train,
 * as `tdr approve` does for one service; `promote` and `rollback` run it and undo it.
 */
export const tdrTrainPlan = (o: {
  readonly from: EnvironmentName;
  readonly to: EnvironmentName;
  readonly actor?: Arg;
  readonly json?: boolean;
}): TdrCommand =>
  tdr(
    ['train', 'plan'],
    [
      ['--from', o.from],
      ['--to', o.to],
      ['--actor', o.actor],
      ['-o', o.json ? 'json' : undefined],
    ],
    false,
  );

export const tdrTrainApprove = (o: {
  readonly train: Arg;
  readonly to: EnvironmentName;
  readonly jenkinsApprover: Arg;
  readonly buildUrl: Arg;
}): TdrCommand =>
  tdr(
    ['train', 'approve'],
    [
      ['--train', o.train],
      ['--to', o.to],
      ['--jenkins-approver', o.jenkinsApprover],
      ['--build-url', o.buildUrl],
    ],
    false,
  );

/** Members release through their own sagas, which notify Slack (one summary) and annotate Grafana. */
export const tdrTrainRun = (
  o: Recorded & {
    readonly action: 'promote' | 'rollback';
    readonly train: Arg;
    readonly to: EnvironmentName;
  },
): TdrCommand => tdr(['train', o.action], [['--train', o.train], ['--to', o.to], ...recorded(o)], true);

/**
 * TDR's service-unavailable switch. Like a release it notifies Slack and annotates Grafana. Where
 * the environment's releases need an approver, the engine accepts Jenkins only with the submitter
 * of its input step (`jenkinsApprover`); a reason is required to switch on (the page shows it).
 */
export const tdrMaintenance = (
  o: Recorded & {
    readonly env: EnvironmentName;
    readonly jenkinsApprover?: Arg | undefined;
  } & (
      | { readonly switch: 'on'; readonly reason: Arg }
      | { readonly switch: 'off'; readonly reason?: Arg | undefined }
    ),
): TdrCommand =>
  tdr(
    ['maintenance', o.switch],
    [['--env', o.env], ['--reason', o.reason], ...recorded(o), ['--jenkins-approver', o.jenkinsApprover]],
    true,
  );

export const tdrStatus = (
  o: { readonly service?: Arg; readonly env?: EnvironmentName; readonly json?: boolean } = {},
): TdrCommand =>
  tdr(
    ['status'],
    [
      ['--service', o.service],
      ['--env', o.env],
      ['-o', o.json ? 'json' : undefined],
    ],
    false,
  );

/** The release board: the page (`html`), its data (`json`, on stdout), or its summary posted to Slack. */
export const tdrReport = (
  o: { readonly html?: string; readonly slack?: boolean; readonly json?: boolean } = {},
): TdrCommand =>
  tdr(
    ['report', ...(o.slack ? ['--slack'] : [])],
    [
      ['--html', o.html],
      ['-o', o.json ? 'json' : undefined],
    ],
    false,
  );

/** Day one in the ledger: what the stand-up started in `env` recorded as its baseline (idempotent). */
export const tdrLedgerAdopt = (o: { readonly env: EnvironmentName }): TdrCommand =>
  tdr(['ledger', 'adopt'], [['--env', o.env]], false);

/** Before a real pulumi run: exit 2, naming each field, while the organisation holds an example value. */
export const tdrPreflight = (o: { readonly stack: string }): TdrCommand =>
  tdr(['preflight'], [['--stack', o.stack]], false);

export const tdrJobsBuild = (o: { readonly out: string }): TdrCommand =>
  tdr(['jobs', 'build'], [['--out', o.out]], false);

export const tdrDashboardsPublish = (): TdrCommand => tdr(['dashboards', 'publish'], [], true);

export const tdrSynth = (): TdrCommand => tdr(['synth'], [], false);

/** The shell step that runs `command` from the checkout, after `npm ci` (stdout to a workspace file if given). */
export function runTdr(command: TdrCommand, options: { readonly stdoutTo?: string } = {}): Step {
  const argv: readonly Arg[] = ['npx', ...command.argv];
  built.set(argv, command);
  return { kind: 'shell', argv, ...options };
}

/** The shell step that runs `command` with the `tdr` installed in the agent image. */
export function runInstalledTdr(command: TdrCommand, options: { readonly stdoutTo?: string } = {}): Step {
  return { kind: 'shell', argv: command.argv, ...options };
}

/** The builder's command behind an argv, or undefined if the argv was written by hand. */
export function tdrCommandOf(argv: readonly Arg[]): TdrCommand | undefined {
  return built.get(argv);
}

/** Whether any of `steps` runs a `tdr` command that talks to Grafana. */
export function needGrafana(steps: readonly Step[]): boolean {
  return steps.some((s) => {
    const argv = s.kind === 'shell' ? s.argv : s.kind === 'resolve-release' ? s.statusArgv : undefined;
    return argv !== undefined && tdrCommandOf(argv)?.needsGrafana === true;
  });
}
