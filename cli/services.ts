import type { Command } from 'commander';
import { WORKLOAD_ENVIRONMENTS } from '../services/environments';
import { ecsServices } from '../services/queries';
import type { CliContext, GlobalOptions } from './context';
import { printJson, renderTable } from './output';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('services')
    .description('the catalogue: services and one-off tasks, with per-environment sizing')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tdr services\n  $ tdr services -o json | jq \'.[] | select(.kind == "service") | .name\'',
    )
    .action((_opts, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const { catalogue } = ctx.platform();
      const entries = Object.entries(catalogue).map(([name, entry]) => ({ name, ...entry }));
      if (output === 'json') {
        printJson(ctx.io, entries);
        return;
      }
      ctx.io.stdout(
        renderTable(
          [
            'NAME',
            'KIND',
            'IMAGE',
            'PORT',
            'HEALTH',
            ...WORKLOAD_ENVIRONMENTS.map((e) => `${e.toUpperCase()} cpu/MiB×n`),
          ],
          entries.map((e) => [
            e.name,
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
    });
}
