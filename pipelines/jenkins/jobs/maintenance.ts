/**
 * maintenance: one job per environment on the promotion path that switches TDR's
 * service-unavailable page on or off (`tdr maintenance on|off`), approved where releases are: in
 * such an environment the engine refuses Jenkins unless it passes the approver of its input step.
 */
import type { EnvironmentName } from '../../../services/environments';
import { maxReasonLength } from '../../release/strategies/maintenance-listener';
import type { Step } from '../model';
import { tdrMaintenance } from '../tdr-commands';
import { RECORDED_BY_BUILD, env, runnableBy, VARIABLES, type Contribution, type JobContext } from './context';
import { approvalStage, releasePipeline, timeoutHours } from './skeleton';

const SWITCHES = ['on', 'off'] as const;

/** Characters of one line of text: the engine refuses control characters (the page shows the reason). */
const LINE_CHAR = '[^\\x00-\\x1F\\x7F]';
/** One line with something in it besides spaces (the engine refuses a blank reason to switch on). */
export const REASON_PATTERN = `${LINE_CHAR}*[^\\x00-\\x20\\x7F]${LINE_CHAR}*`;

/**
 * REASON is checked before an approver is asked or an agent held: one line whenever given, and
 * given to switch on, and no longer than the page holds. The engine checks it again (escaping can
 * still make a reason full of `<>&"` too long for the page: it says so, exit 2).
 */
function checkReason(): Step[] {
  return [
    {
      kind: 'require-pattern',
      parameter: 'REASON',
      pattern: `${LINE_CHAR}{0,${maxReasonLength()}}`,
      optional: true,
      hint: `one line of at most ${maxReasonLength()} characters (the page holds no more)`,
    },
    {
      kind: 'if-matches',
      parameter: 'SWITCH',
      pattern: 'on',
      steps: [
        {
          kind: 'require-pattern',
          parameter: 'REASON',
          pattern: REASON_PATTERN,
          optional: false,
          hint: 'given to switch maintenance on: why the service is unavailable (the page shows it)',
        },
      ],
    },
  ];
}

export function maintenanceJobs(ctx: JobContext, target: EnvironmentName): Contribution {
  const id = `maintenance-${target}`;
  const approval = ctx.platform.environments[target].promotion?.approval ?? null;
  const pipeline = releasePipeline(ctx, {
    id,
    title: `Maintenance in ${target}`,
    environment: target,
    timeoutHours: timeoutHours(ctx, approval !== null),
    // No release lock: the engine takes its own maintenance lease. Queueing keeps a second build
    // from being refused by that lease (exit 4) while the first runs or waits for its approver.
    disableConcurrentBuilds: true,
    checks: [
      { kind: 'require-choice', parameter: 'SWITCH', choices: SWITCHES },
      ...checkReason(),
      { kind: 'capture-actor', variable: VARIABLES.actor },
    ],
    gates: approval
      ? [
          approvalStage(
            ctx,
            approval.group,
            [
              'Switch maintenance ',
              env('SWITCH'),
              ` in ${target}? Started by `,
              env(VARIABLES.actor),
              '. Reason: ',
              env('REASON'),
            ],
            `Switch maintenance in ${target}`,
            approval.approverMustNotBePromoter,
          ),
        ]
      : [],
    // One stage per switch, run only for the chosen SWITCH: the subcommand is a literal word, never input.
    action: SWITCHES.map((which) => ({
      name: `Maintenance ${which}`,
      when: [{ kind: 'parameter-is', parameter: 'SWITCH', value: which }],
      command: tdrMaintenance({
        switch: which,
        env: target,
        reason: env('REASON'),
        ...RECORDED_BY_BUILD,
        ...(approval ? { jenkinsApprover: env(VARIABLES.approver) } : {}),
      }),
    })),
  });
  return {
    pipelines: [pipeline],
    jobs: [
      {
        path: `${target}/maintenance`,
        kind: 'maintenance',
        description:
          `Switches the service-unavailable page on or off in ${target}: every request gets a 503 with the reason while it is on` +
          (approval ? `; a member of ${approval.group} approves.` : '.'),
        environment: target,
        parameters: [
          {
            name: 'SWITCH',
            type: 'choice',
            description: 'on: show the service-unavailable page; off: put the listener back as it was',
            choices: SWITCHES,
          },
          {
            name: 'REASON',
            type: 'string',
            defaultValue: '',
            description:
              'Why, in one line: required to switch on (recorded, and shown on the page); for off, defaults to ending the reason it went on with',
          },
        ],
        triggers: [],
        pipeline: id,
        runnableBy: runnableBy(ctx, target),
      },
    ],
  };
}
