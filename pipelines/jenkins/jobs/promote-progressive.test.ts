/**
 * The prod promote job against the contract with the release engine (./promote-progressive.ts):
 * promote with `-o json`, an input at ECS's approval pause, `tdr approve` to the end, and a
 * rollback on abort only while something is in flight. The rendered Groovy is what Jenkins runs;
 * its syntax is checked by test/jenkins-groovy.test.ts.
 */
import { expect } from 'chai';
import { loadPlatform } from '../../../services/config';
import { renderJenkinsfile } from '../render-jenkinsfile';
import { buildJenkinsModel } from '../build-model';
import { DEFAULT_JENKINS_SETTINGS } from '../settings';
import { jobContext } from './context';
import { PROMOTE_RESULT_FILE, PROGRESSIVE_VARIABLES, pausedServices } from './promote-progressive';

const platform = loadPlatform({});
const model = buildJenkinsModel(platform);
const ctx = jobContext(platform, DEFAULT_JENKINS_SETTINGS);
const render = (id: string) => renderJenkinsfile(model.pipelines.find((p) => p.id === id)!);

describe('prod promotion with the approval ECS holds', () => {
  const paused = pausedServices(ctx, 'prod');
  const prod = render('promote-prod');
  const stageAt = (name: string) => prod.indexOf(`stage('${name}')`);

  it('knows from the model which services ECS holds in prod (and none in staging, which has no pause)', () => {
    expect(paused.length).to.be.greaterThan(0);
    expect(pausedServices(ctx, 'staging')).to.deep.equal([]);
    for (const s of ctx.services)
      expect(prod).to.contain(`'${s}': '${paused.includes(s) ? 'true' : 'false'}'`);
  });

  it('approves before the promotion only what ECS does not hold; promotes with -o json and reads awaitingApproval', () => {
    expect(prod).to.match(
      /stage\('Approve'\) \{\s+when \{\s+expression \{\s+return env\.APPROVAL_AT_PAUSE == 'false'/,
    );
    expect(prod).to.contain(
      `sh('tdr promote --service "$SERVICE" --to prod --version "$RELEASE_VERSION" --actor "$TDR_ACTOR" --build-url "$BUILD_URL" -o json > ${PROMOTE_RESULT_FILE}')`,
    );
    expect(prod).to.contain(
      `env.${PROGRESSIVE_VARIABLES.awaitingApproval} = readJSON(file: '${PROMOTE_RESULT_FILE}')['awaitingApproval'] == true ? 'true' : 'false'`,
    );
  });

  it('then, held, an admin other than the promoter continues it with tdr approve, which follows it to the end', () => {
    const approve = stageAt('Approve on the test listener');
    const production = stageAt('Production traffic');
    expect(stageAt('Promote to prod')).to.be.within(0, approve - 1);
    expect(approve).to.be.within(0, production - 1);
    const held = prod.slice(approve, production);
    expect(held).to.contain("return env.AWAITING_APPROVAL == 'true'");
    expect(held).to.contain("submitter: 'nationalarchives*tdr-admins'");
    // The input gives up when ECS's pause would (its timeout rolls back; the abort stops it).
    const timeout = platform.environments.prod.delivery;
    expect(timeout?.kind !== 'rolling' && timeout?.approvalPause).to.not.equal(false);
    if (timeout && timeout.kind !== 'rolling' && timeout.approvalPause)
      expect(held).to.contain(`timeout(time: ${timeout.approvalPause.timeoutInMinutes}, unit: 'MINUTES')`);
    expect(held).to.contain("error('the approver must not be the person who started this build')");
    // Milestones only increase within a build: the promotion's lock passed 3.
    expect(held).to.contain('milestone(4)').and.contain('milestone(5)');
    expect(prod.slice(production)).to.contain(
      'sh(\'tdr approve --service "$SERVICE" --env prod --version "$RELEASE_VERSION" --jenkins-approver "$APPROVER" --build-url "$BUILD_URL"\')',
    );
  });

  it('an aborted build (or an input timing out) rolls back what is in flight, on a prod agent, and nothing else', () => {
    const aborted = prod.slice(prod.lastIndexOf('aborted {'));
    expect(aborted).to.match(
      /if \(env\.PROMOTE_IN_FLIGHT == 'true'\) \{\s+node\('ecs-prod'\) \{\s+sh\('tdr rollback --service "\$SERVICE" --env prod --actor "\$TDR_ACTOR" --build-url "\$BUILD_URL"'\)/,
    );
    // In flight from the start of tdr promote; no longer once it ended without a pause or after tdr approve.
    expect(prod.indexOf("env.PROMOTE_IN_FLIGHT = 'true'")).to.be.within(
      stageAt('Promote to prod'),
      stageAt('Approve on the test listener'),
    );
    expect(prod).to.match(/if \(env\.AWAITING_APPROVAL == 'false'\) \{\s+env\.PROMOTE_IN_FLIGHT = 'false'/);
    expect(prod.slice(stageAt('Production traffic'))).to.contain("env.PROMOTE_IN_FLIGHT = 'false'");
  });

  it('leaves staging’s promotion as it was: no pause, no rollback on abort', () => {
    const staging = render('promote-staging');
    expect(staging).not.to.contain('AWAITING_APPROVAL').and.not.to.contain('aborted {');
  });
});
