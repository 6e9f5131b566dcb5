/** Notifications over real HTTP on 127.0.0.1; the Grafana sink is our own interface, faked here. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { naming } from '../../services/naming';
import { markStage, notify, type AnnotationSink, type Notification } from './notify';

const n: Notification = {
  service: 'frontend',
  env: 'prod',
  version: 'v42',
  digest: 'sha256:ab',
  action: 'promote',
  outcome: 'succeeded',
  actor: 'bob',
  detail: null,
  time: new Date('2026-11-25T10:00:00Z'),
};

async function webhook(status: number) {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let b = '';
    req.on('data', (c: Buffer) => (b += c.toString()));
    req.on('end', () => {
      bodies.push(b);
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    close: () => server.close(),
  };
}

describe('notify', () => {
  it('posts to Slack and annotates Grafana tagged deploy, service, env, version', async () => {
    const hook = await webhook(200);
    const annotations: Array<{ time: number; tags: string[]; text: string }> = [];
    const sink: AnnotationSink = { createAnnotation: async (a) => annotations.push(a) };
    try {
      const reports = await notify(n, { slackWebhookUrl: hook.url, annotations: sink });
      expect(reports.map((r) => [r.channel, r.status])).to.deep.equal([
        ['slack', 'sent'],
        ['grafana', 'sent'],
      ]);
      expect(JSON.parse(hook.bodies[0] ?? '{}').text).to.equal(
        ':white_check_mark: promote frontend v42 to prod: succeeded (by bob)',
      );
      expect(annotations).to.deep.equal([
        {
          time: n.time.getTime(),
          tags: ['deploy', 'frontend', 'prod', 'v42'],
          text: ':white_check_mark: promote frontend v42 to prod: succeeded (by bob)',
        },
      ]);
    } finally {
      hook.close();
    }
  });

  it('reports failures and missing configuration without throwing', async () => {
    const hook = await webhook(500);
    try {
      const failing: AnnotationSink = {
        createAnnotation: async () => Promise.reject(new Error('HTTP 401 from Grafana')),
      };
      const reports = await notify(n, { slackWebhookUrl: hook.url, annotations: failing });
      expect(reports).to.deep.equal([
        { channel: 'slack', status: 'failed', detail: 'webhook answered HTTP 500' },
        { channel: 'grafana', status: 'failed', detail: 'HTTP 401 from Grafana' },
      ]);
      const none = await notify(n, {});
      expect(none.map((r) => r.status)).to.deep.equal(['not configured', 'not configured']);
    } finally {
      hook.close();
    }
  });

  it('says what a maintenance switch did to which environment, and tags it for that environment', async () => {
    const annotations: Array<{ time: number; tags: string[]; text: string }> = [];
    const sink: AnnotationSink = { createAnnotation: async (a) => annotations.push(a) };
    const on = {
      ...n,
      service: 'maintenance',
      version: '',
      digest: '',
      action: 'maintenance-on',
      detail: 'db upgrade',
    };
    await notify(on, { annotations: sink });
    expect(annotations[0]).to.deep.include({
      tags: ['deploy', 'maintenance', 'prod'],
      text: ':white_check_mark: maintenance-on in prod: succeeded (by bob) — db upgrade',
    });
  });

  it('cancels what does not answer in time: the annotation and the webhook lookup get a signal that fires', async () => {
    const timeoutMs = 100;
    const signals: AbortSignal[] = [];
    // Hang until cancelled, as a Grafana or an SSM that never answers would.
    const hang = (signal: AbortSignal | undefined) => {
      if (signal) signals.push(signal);
      return new Promise<never>((_, reject) =>
        signal?.addEventListener('abort', () => reject(signal.reason)),
      );
    };
    const started = Date.now();
    const reports = await notify(n, {
      slackWebhookUrl: (signal) => hang(signal),
      annotations: { createAnnotation: (_a, call) => hang(call?.signal) },
      timeoutMs,
    });
    expect(Date.now() - started).to.be.below(timeoutMs + 1_000);
    expect(reports).to.deep.equal([
      {
        channel: 'slack',
        status: 'failed',
        detail: `looking up the webhook: no answer within ${timeoutMs} ms`,
      },
      {
        channel: 'grafana',
        status: 'failed',
        detail: `creating the annotation: no answer within ${timeoutMs} ms`,
      },
    ]);
    expect(signals).to.have.length(2);
    expect(
      signals.every((s) => s.aborted),
      'every hung call was cancelled',
    ).to.equal(true);
  });
});

describe('markStage', () => {
  const mark = {
    service: 'frontend',
    env: 'prod' as const,
    version: 'v42',
    stage: 'PRODUCTION_TRAFFIC_SHIFT',
    text: 'PRODUCTION_TRAFFIC_SHIFT (IN_PROGRESS): production 10%, test 100%',
    time: new Date('2026-11-25T10:05:00Z'),
  };

  it('annotates Grafana with the stage tags the canary dashboard asks for, at the stage time', async () => {
    const annotations: Array<{ time: number; tags: string[]; text: string }> = [];
    const report = await markStage(mark, {
      annotations: { createAnnotation: async (a) => annotations.push(a) },
    });
    expect(report).to.deep.include({ channel: 'grafana', status: 'sent' });
    expect(annotations).to.deep.equal([
      {
        time: mark.time.getTime(),
        tags: naming.deployStageAnnotationTags('frontend', 'prod', 'PRODUCTION_TRAFFIC_SHIFT'),
        text: `frontend v42 to prod: ${mark.text}`,
      },
    ]);
    const filter = naming.deployStageAnnotationFilter('prod');
    expect(filter.every((t) => annotations[0]!.tags.includes(t))).to.equal(true);
  });

  it('never throws: a failing or hung Grafana is reported (URLs redacted), no sink is "not configured"', async () => {
    const failed = await markStage(mark, {
      annotations: {
        createAnnotation: () =>
          Promise.reject(new Error('connect ECONNREFUSED https://grafana.example/api?token=s')),
      },
    });
    expect(failed.status).to.equal('failed');
    expect(failed.detail).to.not.contain('token=s');
    const hung = await markStage(mark, {
      timeoutMs: 50,
      annotations: { createAnnotation: () => new Promise(() => undefined) },
    });
    expect(hung).to.deep.include({
      status: 'failed',
      detail: 'creating the annotation: no answer within 50 ms',
    });
    expect((await markStage(mark, {})).status).to.equal('not configured');
  });
});
