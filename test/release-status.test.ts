/**
 * Rollback, status, history, drift, crash settlement, verify, notifications and the sandbox
 * demo, against moto.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import type { AddressInfo } from 'node:net';
import { DeleteParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { naming } from '../services/naming';
import { deliveryStrategy, ecsServices, functions, workloadEnvironmentNames } from '../services/queries';
import type { DeploymentStage } from '../pipelines/release/ledger/ledger';
import { DEMO_CANARY_SERVICE, STAND_IN_NOTE } from '../sandbox/demo-ecs-canary';
import type { MaintenanceStatus } from '../pipelines/release/reads/maintenance-status';
import type { StatusRow } from '../pipelines/release/reads/status';
import { assumeRole } from './support/accounts';
import { SANDBOX, changeImageBehindTheBack, liveImage, sandboxUp, tdr } from './support/release';

type Env = Record<string, string | undefined>;

async function statusJson(env: Env, ...args: string[]): Promise<StatusRow[]> {
  return JSON.parse((await tdr(['status', '-o', 'json', ...args], env)).stdout) as StatusRow[];
}

async function historyJson(
  env: Env,
  e: string,
  service = 'frontend',
): Promise<Array<Record<string, unknown>>> {
  return JSON.parse(
    (await tdr(['history', '--service', service, '--env', e, '-o', 'json'], env)).stdout,
  ) as Array<Record<string, unknown>>;
}

describe('rollback, status and history (moto)', () => {
  it('rolls back to the version before the current one, through the deployment path', async () => {
    const env = await sandboxUp();
    await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2'], env);
    const v2 = (await liveImage('frontend', 'intg')).image;
    await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v3'], env);
    expect((await liveImage('frontend', 'intg')).image).to.not.equal(v2);

    const refused = await tdr(['rollback', '--service', 'frontend', '--env', 'intg', '--to', 'v1'], env, 3);
    expect(refused.stderr).to.contain('v1 has never succeeded in intg');

    const r = await tdr(['rollback', '--service', 'frontend', '--env', 'intg', '--actor', 'ops'], env);
    expect(r.stdout).to.contain('rollback frontend v2 → intg: succeeded');
    expect((await liveImage('frontend', 'intg')).image).to.equal(v2);
    const [latest] = await historyJson(env, 'intg');
    expect(latest).to.include({ action: 'rollback', version: 'v2', outcome: 'succeeded', actor: 'ops' });
    const [row] = await statusJson(env, '--service', 'frontend', '--env', 'intg');
    expect(row).to.include({ version: 'v2', deployedBy: 'ops' });
    expect(row?.drift).to.deep.equal([]);
  });

  it('status shows every service × environment: ledger, ECS, age, who, and how far behind', async () => {
    const env = await sandboxUp();
    await tdr(
      ['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2', '--actor', 'jenkins'],
      env,
    );
    await tdr(['promote', '--service', 'frontend', '--to', 'staging', '--actor', 'bob'], env);
    await tdr(
      ['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v3', '--actor', 'jenkins'],
      env,
    );

    const all = await statusJson(env);
    // A row per service and per function in each workload environment; function rows say `kind: 'function'`.
    const { catalogue, environments } = loadPlatform({});
    const envCount = workloadEnvironmentNames(environments).length;
    expect(all).to.have.length((ecsServices(catalogue).length + functions(catalogue).length) * envCount);
    const rows = all.filter((r) => !('kind' in r));
    expect(rows).to.have.length(ecsServices(catalogue).length * envCount);
    const row = (s: string, e: string) => rows.find((r) => r.service === s && r.env === e);
    expect(row('frontend', 'intg')).to.deep.include({
      version: 'v3',
      deployedBy: 'jenkins',
      ageMinutes: 0,
      drift: [],
      behind: null,
    });
    expect(row('frontend', 'intg')?.ecs).to.include({ running: 1, desired: 1 });
    expect(row('frontend', 'staging')).to.deep.include({
      version: 'v2',
      deployedBy: 'bob',
      behind: 1,
      behindOf: 'intg',
    });
    expect(row('frontend', 'prod')).to.deep.include({ version: null, behind: 1, behindOf: 'staging' });
    expect(row('frontend', 'prod')?.ecs).to.include({ running: 2, desired: 2 });
    expect(row('keycloak', 'intg')?.drift[0]).to.contain('which the ledger has no record of');

    const table = (await tdr(['status', '--env', 'staging'], env)).stdout;
    expect(table).to.match(/^SERVICE\s+ENV\s+LEDGER/);
    expect(table).to.match(
      /frontend\s+staging\s+v2\s+\w{12}\s+\w{12}\s+1\/1\s+\S+\s+ok\s+0m\s+bob\s+1 \(intg\)/,
    );
  });

  it('detects drift when someone changes the service behind the platform’s back', async () => {
    const env = await sandboxUp();
    await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2'], env);
    const hand = await changeImageBehindTheBack('frontend', 'intg', 'nginx:latest');
    const [row] = await statusJson(env, '--service', 'frontend', '--env', 'intg');
    expect(row?.version).to.equal('v2');
    expect(row?.ecs.image).to.equal('nginx:latest');
    expect(row?.drift.join('\n')).to.contain('ECS runs nginx:latest, the ledger says v2');
    expect(row?.drift.join('\n')).to.contain(`ECS uses ${hand}`);
    expect((await tdr(['status', '--service', 'frontend', '--env', 'intg'], env)).stdout).to.contain(
      'drift frontend/intg: ECS runs nginx:latest',
    );
  });

  it('--no-wait leaves the outcome open; status shows it; the next operation settles it from ECS', async () => {
    const env = await sandboxUp();
    await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2', '--no-wait'], env);
    const [row] = await statusJson(env, '--service', 'frontend', '--env', 'intg');
    expect(row?.unsettled).to.have.length(1);
    expect(row?.unsettled[0]).to.include({ seq: 1, version: 'v2' });
    expect((await tdr(['status', '--service', 'frontend', '--env', 'intg'], env)).stdout).to.contain(
      'has no outcome; the next operation settles it',
    );

    const next = await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v3'], env);
    expect(next.stdout).to.contain('settled crashed runs: #2');
    const history = await historyJson(env, 'intg');
    expect(history.map((h) => [h.seq, h.version, h.outcome])).to.deep.equal([
      [4, 'v3', 'succeeded'],
      [3, 'v3', 'started'],
      [2, 'v2', 'succeeded'],
      [1, 'v2', 'started'],
    ]);
    expect(history[2]).to.include({ settles: 1 });
    expect(history[2]?.detail).to.match(/wrote ledger #1 and no outcome; ECS runs its digest steadily/);
  });

  it('verify prints [OK] per dependency, and [NG] with exit 1 when a secret is missing', async () => {
    const env = await sandboxUp();
    const ok = await tdr(['verify', '--service', 'consignmentapi', '--env', 'staging'], env);
    for (const line of [
      '[OK] role assumable: TDRJenkinsECSUpdateRoleStaging in 333333333333',
      '[OK] ledger bucket',
      '[OK] cluster: consignmentapi_staging is ACTIVE',
      '[OK] service: consignmentapi_service_staging runs',
      '[OK] image digest: consignment-api@sha256:',
      '[OK] secret DB_PASSWORD: SSM /staging/consignmentapi/database/password exists',
    ]) {
      expect(ok.stdout).to.contain(line);
    }
    const ssm = new SSMClient({
      credentials: await assumeRole(SANDBOX.staging, naming.jenkinsEcsUpdateRole('staging')),
    });
    await ssm.send(new DeleteParameterCommand({ Name: naming.databaseSecret('consignmentapi', 'staging') }));
    const ng = await tdr(['verify', '--service', 'consignmentapi', '--env', 'staging'], env, 1);
    expect(ng.stdout).to.contain(
      '[NG] secret DB_PASSWORD: SSM /staging/consignmentapi/database/password does not exist in staging: the task cannot start',
    );
    expect(ng.stdout).to.contain('[OK] cluster');
  });

  it('notifies Slack (a real webhook server on 127.0.0.1) and reports Grafana as not configured', async () => {
    const received: string[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/secret`;
      const env = await sandboxUp({ TDR_SLACK_WEBHOOK_URL: url });
      const r = await tdr(
        ['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2', '--actor', 'jenkins'],
        env,
      );
      expect(r.stdout).to.contain('slack: sent');
      expect(r.stdout).to.contain('grafana: not configured');
      expect(r.stdout + r.stderr).to.not.contain('/services/T000/B000/secret');
      expect(received).to.have.length(1);
      expect(JSON.parse(received[0] ?? '{}').text).to.contain(
        'deploy frontend v2 to intg: succeeded (by jenkins)',
      );
      const [rec] = await historyJson(env, 'intg');
      expect(JSON.stringify(rec)).to.not.contain('secret');
    } finally {
      server.close();
    }
  });

  it('finds the Slack webhook in mgmt SSM when TDR_SLACK_WEBHOOK_URL is not set', async () => {
    const received: string[] = [];
    const server = createServer((req, res) => {
      req.on('data', (c: Buffer) => received.push(c.toString()));
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const env = await sandboxUp();
      await new SSMClient({}).send(
        new PutParameterCommand({
          Name: naming.slackWebhookParameter(),
          Type: 'SecureString',
          Value: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
        }),
      );
      const r = await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2'], env);
      expect(r.stdout).to.contain('slack: sent');
      expect(received.join('')).to.contain('deploy frontend v2 to intg: succeeded');
    } finally {
      server.close();
    }
  });

  it('a dead Slack webhook never fails the deployment', async () => {
    const env = await sandboxUp({ TDR_SLACK_WEBHOOK_URL: 'http://127.0.0.1:1/hook' });
    const r = await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2'], env);
    expect(r.stdout).to.match(/slack: failed/);
  });

  it('tdr sandbox demo tells the whole story', async () => {
    const env = await sandboxUp({ TDR_CONFIG: undefined });
    const r = await tdr(['sandbox', 'demo'], env);
    expect(r.stdout).to.match(/soak time before prod shortened from 30 min to 0 by TDR_CONFIG=/);
    // The demo's own overrides file is gone with the demo (it made it in the temporary folder).
    const demoConfig = /by TDR_CONFIG=(\S+) \(sandbox only\)/.exec(r.stdout)?.[1];
    expect(demoConfig, r.stdout).to.be.a('string');
    expect(existsSync(dirname(demoConfig!)), demoConfig).to.equal(false);
    for (const s of [
      '== Jenkins deploys build v2 to intg',
      '== A developer promotes it to staging',
      'with no approval: refused',
      '→ exit 3',
      "== Alice, one of prod's approvers, approves as herself",
      'approved by alice (arn:aws:sts::123456789012:assumed-role/TDRReleaseApproverProd/alice)',
      '== Something is wrong with v3 on staging: roll back',
    ]) {
      expect(r.stdout).to.contain(s);
    }
    expect(r.stdout.match(/^SERVICE\s+ENV/gm)).to.have.length(7);
    const [last] = await historyJson(env, 'staging');
    expect(last).to.include({ action: 'rollback', version: 'v2', outcome: 'succeeded' });

    // A function, the catalogue's first: v2 deployed to intg, the same SHA-256 promoted to staging.
    const fn = functions(loadPlatform({}).catalogue)[0]?.[0] ?? '';
    expect(fn, 'the catalogue has a function').to.not.equal('');
    // v2 (then v3, for the canaries in prod below).
    const v2 = (h: Record<string, unknown>) => h.version === 'v2' && h.outcome === 'succeeded';
    const inIntg = (await historyJson(env, 'intg', fn)).find(v2);
    const inStaging = (await historyJson(env, 'staging', fn)).find(v2);
    expect(inIntg).to.include({ action: 'deploy', version: 'v2', outcome: 'succeeded' });
    const sha256 = inIntg?.digest as string;
    expect(sha256).to.be.a('string').and.not.equal('');
    expect(inStaging).to.include({
      action: 'promote',
      version: 'v2',
      outcome: 'succeeded',
      sourceEnv: 'intg',
      digest: sha256,
    });
    expect(r.stdout).to.contain(`$ tdr deploy --service ${fn} --env intg --version v2`);
    expect(r.stdout).to.contain(`$ tdr promote --service ${fn} --to staging`);
    expect(r.stdout).to.contain(`the ledger recorded ${fn} v2 in staging with sha256 ${sha256}`);
    expect(r.stdout.match(/^FUNCTION\s+ENV/gm)).to.have.length(2);
    // What `live` runs in staging is that SHA-256, as Lambda itself says.
    const [fnStaging] = JSON.parse(
      (await tdr(['status', '--service', fn, '--env', 'staging', '-o', 'json'], env)).stdout,
    ) as Array<{ lambda: { sha256: string | null }; drift: string[] }>;
    const [stagingNewest] = await historyJson(env, 'staging', fn);
    expect(fnStaging?.lambda.sha256).to.equal(stagingNewest?.digest);
    expect(fnStaging?.drift).to.deep.equal([]);

    // Prod takes the function as canaries: v2 passes, v3 (an error burst) is rolled back; each
    // with its course and the deciding evidence in the ledger.
    const [v3InProd, v2InProd] = (await historyJson(env, 'prod', fn)).filter(
      (h) => h.kind === 'release' && h.outcome !== 'started',
    );
    expect(v2InProd).to.deep.include({
      action: 'promote',
      version: 'v2',
      outcome: 'succeeded',
      digest: sha256,
    });
    expect(v3InProd).to.deep.include({ action: 'promote', version: 'v3', outcome: 'rolled_back' });
    const verdict = (h: Record<string, unknown> | undefined) =>
      (h?.canary as { evidence?: { verdict?: string } } | undefined)?.evidence?.verdict;
    expect([verdict(v2InProd), verdict(v3InProd)]).to.deep.equal(['pass', 'fail']);
    expect(r.stdout).to.contain('judged pass: live moves wholly to version 2');
    expect(r.stdout).to.match(/rolled back: canary fail before the bake ended: error rate/);

    // Prod takes a service as ECS canaries, its stages from the stand-in (said so), judged by the
    // engine's judge over moto's CloudWatch: v2 passes after Alice's approval at the pause; v3's
    // 5xx burst is judged fail at the canary step and rolled back before the rest of the traffic.
    expect(r.stdout).to.contain(STAND_IN_NOTE);
    const strategy = deliveryStrategy(loadPlatform({}), DEMO_CANARY_SERVICE, 'prod');
    if (strategy?.kind !== 'canary') throw new Error('prod delivers services as a canary');
    const [ecsV3, ecsV2] = (await historyJson(env, 'prod', DEMO_CANARY_SERVICE)).filter(
      (h) => h.kind === 'release' && h.outcome !== 'started',
    );
    expect(ecsV2).to.deep.include({ action: 'promote', version: 'v2', outcome: 'succeeded' });
    expect(ecsV3).to.deep.include({ action: 'promote', version: 'v3', outcome: 'rolled_back' });
    const judged = (h: Record<string, unknown> | undefined) =>
      ((h?.stages ?? []) as DeploymentStage[]).filter((st) => st.judgement);
    expect(judged(ecsV2).map((st) => [st.production, st.judgement?.verdict])).to.deep.equal([
      [strategy.canaryPercent, 'pass'],
    ]);
    expect(judged(ecsV3).map((st) => [st.production, st.judgement?.verdict])).to.deep.equal([
      [strategy.canaryPercent, 'fail'],
    ]);
    // The judge's evidence: the canary target group's 5xx, read back from moto.
    const evidence = judged(ecsV3)[0]?.judgement?.evidence as { values?: Record<string, number[]> };
    expect(evidence.values?.canary_5xx?.[0] ?? 0).to.be.greaterThan(0);
    const reached = Math.max(...((ecsV3?.stages ?? []) as DeploymentStage[]).map((st) => st.production ?? 0));
    expect(reached, 'rolled back before all the traffic moved').to.be.below(100);
    expect(r.stdout).to.contain(`$ tdr approve --service ${DEMO_CANARY_SERVICE} --env prod`);
    expect(r.stdout).to.contain(
      `rolled_back: rolled back: the canary judge said fail at ${strategy.canaryPercent}% (5xx rate`,
    );

    // Maintenance in staging: on with a reason, reported by status, off with the listener as it was.
    for (const s of [
      '$ tdr maintenance on --env staging --reason',
      'MAINTENANCE staging: ON since',
      '$ tdr maintenance off --env staging',
      'the listener is back as it was',
    ]) {
      expect(r.stdout).to.contain(s);
    }
    const switches = (await historyJson(env, 'staging', naming.maintenanceSubject())).filter(
      (h) => h.outcome !== 'started',
    );
    expect(switches.map((h) => [h.action, h.outcome])).to.deep.equal([
      ['maintenance-off', 'succeeded'],
      ['maintenance-on', 'succeeded'],
    ]);
    expect(switches[1]?.reason).to.be.a('string').and.not.equal('');
    const [stagingNow] = (await statusJson(env, '--env', 'staging')) as Array<
      StatusRow & { maintenance: MaintenanceStatus | null }
    >;
    expect(stagingNow?.maintenance).to.include({ on: false, listener: false });
  });
});
