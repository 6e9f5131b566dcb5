/**
 * The contract between the generated jobs and the release engine: every `tdr` command line a
 * Jenkins step runs must parse against the real `tdr` program (same commands, flags and choices).
 * Actions are replaced by a recorder, so nothing runs and nothing is called.
 */
import { expect } from 'chai';
import type { Command } from 'commander';
import { buildProgram } from '../../cli/main';
import { loadPlatform } from '../../services/config';
import { allSteps, buildJenkinsModel } from './index';
import type { Arg } from './model';
import { tdrCommandOf } from './tdr-commands';

/** A plausible value for a variable, chosen by the flag it follows. */
const SAMPLE: Record<string, string> = {
  '--service': 'frontend',
  '--task': 'consignment-export',
  '--env': 'staging',
  '--to': 'prod',
  '--version': 'v42',
  '--result': 'passed',
  '--url': 'https://example.test/1',
  '--build-url': 'https://jenkins.example.test/job/1/',
  '--git-commit': '0a1b2c3',
  '--reason': 'database upgrade until 14:00',
  '--jenkins-approver': 'alice',
  '--train': 'train-0123456789abcdef',
};

/** Where `tdr` starts in an argv: the installed `tdr …`, or `npx tdr …` from a checkout; -1 if none. */
function tdrAt(argv: readonly Arg[]): number {
  if (argv[0] === 'tdr') return 0;
  return argv[0] === 'npx' && argv[1] === 'tdr' ? 1 : -1;
}

/** Every `tdr` argv a step of the generated jobs carries. */
function tdrArgvs(): Array<readonly Arg[]> {
  const model = buildJenkinsModel(loadPlatform({}));
  const steps = [...model.pipelines, model.platformPipeline].flatMap((p) => allSteps(p));
  const argvs = steps.flatMap((s): ReadonlyArray<readonly Arg[]> => {
    if (s.kind === 'shell') return [s.argv];
    if (s.kind === 'resolve-release') return [s.statusArgv];
    return [];
  });
  return argvs.filter((a) => tdrAt(a) >= 0);
}

function commandLines(): string[][] {
  return tdrArgvs().map((a) =>
    a
      .slice(tdrAt(a) + 1)
      .map((arg, i, all) =>
        typeof arg === 'string' ? arg : `${arg.prefix ?? ''}${SAMPLE[String(all[i - 1])] ?? 'value'}`,
      ),
  );
}

function recordingProgram(): { program: Command; ran: string[] } {
  const platform = loadPlatform({});
  const program = buildProgram({
    io: { stdout: () => {}, stderr: () => {} },
    env: {},
    platform: () => platform,
  });
  const ran: string[] = [];
  const stub = (cmd: Command, path: string[]) => {
    for (const sub of cmd.commands) {
      const here = [...path, sub.name()];
      sub.action(() => void ran.push(here.join(' ')));
      stub(sub, here);
    }
  };
  stub(program, []);
  return { program, ran };
}

describe('jobs call tdr as tdr parses it', () => {
  const lines = commandLines();

  it('finds the tdr calls of every job kind', () => {
    const commands = new Set(
      lines.map((l) =>
        l
          .filter((w) => !w.startsWith('-'))
          .slice(0, 2)
          .join(' '),
      ),
    );
    for (const expected of [
      'deploy',
      'promote',
      'rollback',
      'check record',
      'task run',
      'maintenance on',
      'maintenance off',
      'synth',
      'dashboards publish',
      'report',
      'train plan',
      'train approve',
      'train promote',
      'train rollback',
    ]) {
      expect(
        [...commands].some((c) => c.startsWith(expected)),
        `no job calls tdr ${expected}`,
      ).to.equal(true);
    }
  });

  it('passes task inputs as tdr task run parses them (--input KEY=VALUE)', () => {
    const withInputs = lines.filter((l) => l.join(' ').startsWith('task run') && l.includes('--input'));
    expect(withInputs.map((l) => l[l.indexOf('--input') + 1])).to.include.members([
      'consignmentId=value',
      'updatePolicy=value',
    ]);
  });

  it('builds every tdr line with a typed builder of tdr-commands.ts, none by hand', () => {
    const byHand = tdrArgvs().filter((a) => tdrCommandOf(a) === undefined);
    expect(byHand.map((a) => a.join(' '))).to.deep.equal([]);
  });

  for (const argv of [...new Map(commandLines().map((l) => [l.join(' '), l])).values()]) {
    it(`tdr ${argv.join(' ')}`, async () => {
      const { program, ran } = recordingProgram();
      await program.parseAsync(argv, { from: 'user' });
      expect(ran, 'the command that would run').to.have.length(1);
      expect(argv.join(' ').startsWith(ran[0] ?? '?')).to.equal(true);
    });
  }
});
