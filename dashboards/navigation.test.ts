import { expect } from 'chai';
import { DEFAULT_JENKINS_SETTINGS } from '../pipelines/jenkins/settings';
import {
  DEFAULT_NAVIGATION,
  DEFAULT_RELEASE_BOARD_URL,
  ReleaseBoardUrlError,
  logGroupUrl,
  navigationFrom,
  releaseBoardUrl,
} from './navigation';

describe('navigation', () => {
  it('defaults the release board to the nightly report job’s archived page on TDR’s Jenkins', () => {
    const jenkins = DEFAULT_JENKINS_SETTINGS.jenkinsUrl.replace(/\/$/, '');
    expect(DEFAULT_RELEASE_BOARD_URL).to.equal(
      `${jenkins}/job/mgmt/job/release-report/lastSuccessfulBuild/artifact/release-report.html`,
    );
    expect(navigationFrom({})).to.equal(DEFAULT_NAVIGATION);
  });

  it('takes TDR_RELEASE_BOARD_URL, filling in {env} and {service}', () => {
    const nav = navigationFrom({
      TDR_RELEASE_BOARD_URL: 'https://board.example.test/{env}?service={service}',
    });
    expect(releaseBoardUrl(nav, 'prod', 'frontend')).to.equal(
      'https://board.example.test/prod?service=frontend',
    );
    expect(releaseBoardUrl(nav, 'intg')).to.equal('https://board.example.test/intg?service=');
  });

  it('refuses a release board that is not an http(s) URL, as invalid input', () => {
    const err = (() => {
      try {
        navigationFrom({ TDR_RELEASE_BOARD_URL: 'jenkins/board' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).to.be.instanceOf(ReleaseBoardUrlError);
    expect(err).to.have.property('kind', 'invalid');
    expect((err as Error).message).to.match(/^TDR_RELEASE_BOARD_URL jenkins\/board is not an http\(s\) URL/);
  });

  it('links a log group’s console page with the console’s own encoding of `/`', () => {
    expect(logGroupUrl('eu-west-2', '/ecs/frontend-prod')).to.equal(
      'https://eu-west-2.console.aws.amazon.com/cloudwatch/home?region=eu-west-2#logsV2:log-groups/log-group/$252Fecs$252Ffrontend-prod',
    );
  });
});
