import { expect } from 'chai';
import {
  SCENARIO_FACTS,
  TRAIN_FACTS,
  XSS,
  scenarioInput,
  trainScenarioInput,
} from '../../test/support/report-scenario';
import { buildBoard } from './board';
import { slackEscape, slackSummary, trend } from './slack';

describe('release board in Slack', () => {
  const board = buildBoard(scenarioInput());
  const message = slackSummary(board, {
    pageUrl: 'https://jenkins.example/job/release-report/lastSuccessfulBuild/artifact/board.html',
  });
  const texts = message.blocks.map((b) =>
    'text' in b ? b.text.text : 'elements' in b ? b.elements.map((e) => e.text).join(' ') : '',
  );
  const section = (title: string) => texts.find((t) => t.startsWith(`*${title}*`)) ?? '';

  it('says what waits, longest first, for how long and with the command', () => {
    expect(section('Waiting to be promoted').split('\n')).to.deep.equal([
      '*Waiting to be promoted*',
      '• *keycloak* v2 staging → prod, waiting 2.5 days, last attempt failed: `tdr promote --service keycloak --to prod --version v2`',
      '• *frontend* v12 staging → prod, waiting 24 h (2 versions behind): `tdr promote --service frontend --to prod --version v12`',
    ]);
  });

  it('says what drifted and what failed, with ledger values escaped', () => {
    expect(section('Drift between the ledger and the runtime')).to.match(
      /• \*consignmentapi\* in prod: the runtime runs v4/,
    );
    const failed = section('Last release failed');
    expect(failed).to.contain('• *keycloak* in prod: v2 rolled back');
    expect(failed).to.contain(`• *frontend* in intg: v13${slackEscape(XSS)} failed`);
    expect(JSON.stringify(message)).not.to.contain('<script>');
  });

  it('says which environments are in maintenance, first, with who, why and the command; a drifted switch is drift', () => {
    const m = SCENARIO_FACTS.maintenance;
    expect(texts[1]).to.contain('in maintenance: staging');
    expect(texts[2]?.split('\n')).to.deep.equal([
      '*In maintenance (every request gets the service-unavailable page)*',
      `• *staging* since 2026-06-30 10:00 UTC by ops: ${slackEscape(m.reason)} · end it: \`${m.command}\``,
    ]);
    expect(section('Drift between the ledger and the runtime')).to.contain(
      `• *maintenance switch* in prod: ${SCENARIO_FACTS.maintenanceDrift.drift}`,
    );
  });

  it('gives the metrics and their trend in one line, and links the page', () => {
    const line = texts.find((t) => t.startsWith('*Delivery')) ?? '';
    expect(line).to.contain('change failure 33% (90 d: 20%, worse)');
    expect(line).to.contain('lead time 48 h (90 d: 48 h, steady)');
    expect(texts.at(-1)).to.equal(
      '<https://jenkins.example/job/release-report/lastSuccessfulBuild/artifact/board.html|Open the release board>',
    );
    expect(message.text).to.equal(
      'TDR release board: 2 waiting to be promoted · 1 drifted · 2 failed · 1 running · in maintenance: staging',
    );
  });

  it('escapes what would become a mention or link, and reads trends', () => {
    expect(slackEscape('<!channel> & <http://x|y>')).to.equal('&lt;!channel&gt; &amp; &lt;http://x|y&gt;');
    expect([
      trend(1, 1.05, true),
      trend(2, 1, true),
      trend(2, 1, false),
      trend(null, 1, true),
      trend(0, 0, true),
    ]).to.deep.equal(['steady', 'better', 'worse', 'no data', 'steady']);
  });

  it('an empty board is a short message', () => {
    const empty = slackSummary(
      buildBoard({
        model: { services: [], environments: [] },
        ledgers: {},
        live: () => undefined,
        leases: [],
        maintenance: () => undefined,
        now: new Date(0),
      }),
    );
    expect(empty.blocks.map((b) => b.type)).to.deep.equal(['header', 'section', 'section']);
  });
  it('names the train in flight and every rejected version, escaped (issue 26)', () => {
    const withTrains = slackSummary(buildBoard(trainScenarioInput())).blocks.map((b) =>
      'text' in b ? b.text.text : '',
    );
    const find = (title: string) => withTrains.find((t) => t.startsWith(`*${title}*`)) ?? '';
    const { inFlight } = TRAIN_FACTS;
    const out = inFlight.members.filter((m) => m.outcome !== null).length;
    expect(find('Release trains in flight').split('\n').slice(1)).to.deep.equal([
      `• *${inFlight.env}* ← staging: ${inFlight.trainId} by bob, ${out} of ${inFlight.members.length} members out`,
    ]);
    const rejected = find('Rejected versions (every gate refuses them)').split('\n').slice(1);
    expect(rejected).to.have.length(TRAIN_FACTS.rejected.length);
    expect(rejected.join('\n')).to.contain(slackEscape(XSS)).and.not.contain(XSS);
    expect(section('Release trains in flight')).to.equal('');
  });
});
