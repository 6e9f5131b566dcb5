import type { Command } from 'commander';
import type { LambdaEntry, StateMachineEntry } from '../services/catalogue';
import { WORKLOAD_ENVIRONMENTS } from '../services/environments';
import { naming } from '../services/naming';
import { ecsEntries, ecsServices, functions, stateMachines } from '../services/queries';
import type { CliContext, GlobalOptions } from './context';
import { printJson, renderTable } from './output';

const perEnvHeaders = (what: string) => WORKLOAD_ENVIRONMENTS.map((e) => `${e.toUpperCase()} ${what}`);

function triggersOf(e: LambdaEntry): string {
  if (e.triggers.length === 0) return 'invoked directly';
  return e.triggers
    .map((t) => {
      switch (t.kind) {
        case 's3':
          return `s3:${t.bucket}`;
        case 'sqs':
          return `sqs:${t.queue}${t.deadLetterQueue ? '+dlq' : ''}`;
        case 'schedule':
          return `schedule:${t.expression}`;
        case 'stepFunction':
          return `sfn:${t.stateMachine}`;
        case 'apiGateway':
          return `api:${t.api}`;
      }
    })
    .join(' ');
}

function stepsOf(e: StateMachineEntry): string {
  const step = (s: StateMachineEntry['steps'][number]): string =>
    'function' in s
      ? s.function
      : 'ecsTask' in s
        ? `task:${s.ecsTask}`
        : `(${s.parallel.map(step).join(' | ')})`;
  return e.steps.map(step).join(' → ');
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('services')
    .description(
      'the catalogue: services, one-off tasks, functions and state machines, with per-environment sizing',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ tdr services\n  $ tdr services -o json | jq \'.[] | select(.kind == "lambda") | .name\'',
    )
    .action((_opts, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const { catalogue } = ctx.platform();
      if (output === 'json') {
        printJson(
          ctx.io,
          Object.entries(catalogue).map(([name, entry]) => ({ name, ...entry })),
        );
        return;
      }
      ctx.io.stdout(
        renderTable(
          ['NAME', 'KIND', 'IMAGE', 'PORT', 'HEALTH', ...perEnvHeaders('cpu/MiB×n')],
          ecsEntries(catalogue).map(([name, e]) => [
            name,
            e.kind,
            e.imageRepository,
            e.kind === 'service' ? e.containerPort : null,
            e.kind === 'service'
              ? `${e.healthCheck.path} ${e.healthCheck.matcher} :${e.healthCheck.port}`
              : null,
            ...WORKLOAD_ENVIRONMENTS.map(
              (env) =>
                `${e.cpu[env]}/${e.memory[env]}` + (e.kind === 'service' ? `×${e.desiredCount[env]}` : ''),
            ),
          ]),
        ),
      );
      const sidecars = ecsServices(catalogue).flatMap(([name, e]) =>
        e.sidecars.map((s) => `${name}: ${s.name} ${s.cpu}/${s.memory}`),
      );
      if (sidecars.length > 0) ctx.io.stdout(`\nSidecars (inside the task size): ${sidecars.join('; ')}\n`);
      const fns = functions(catalogue);
      if (fns.length > 0) {
        ctx.io.stdout('\nFunctions (Lambda; releases move the `live` alias)\n');
        ctx.io.stdout(
          renderTable(
            ['NAME', 'RUNTIME', 'VPC', 'RESERVED', 'TRIGGERS', ...perEnvHeaders('MiB/s')],
            fns.map(([name, e]) => [
              name,
              e.runtime,
              e.network.database ? `db:${e.network.database}` : e.network.vpc ? 'yes' : 'no',
              e.reservedConcurrency,
              triggersOf(e),
              ...WORKLOAD_ENVIRONMENTS.map((env) => `${e.memory[env]}/${e.timeoutSeconds[env]}`),
            ]),
          ),
        );
      }
      const machines = stateMachines(catalogue);
      if (machines.length > 0) {
        ctx.io.stdout('\nState machines (Step Functions)\n');
        ctx.io.stdout(
          renderTable(
            ['NAME', 'STATE MACHINE (intg)', 'TIMEOUT s', 'STEPS'],
            machines.map(([name, e]) => [
              name,
              naming.stateMachine(e.pascalName, 'intg'),
              e.timeoutSeconds,
              stepsOf(e),
            ]),
          ),
        );
      }
    });
}
