import { expect } from 'chai';
import { compareLink, releaseSummary } from './compare-link';

describe('release compare link', () => {
  it("compares the previous version's commit with this one's in the service repository", () => {
    expect(
      compareLink({
        owner: 'nationalarchives',
        imageRepository: 'transfer-frontend',
        previous: { version: 'v41', commit: '1a2b3c4' },
        current: { version: 'v42', commit: '5d6e7f8' },
      }),
    ).to.equal('https://github.com/nationalarchives/tdr-transfer-frontend/compare/1a2b3c4...5d6e7f8');
  });

  it('falls back to the release tags, which name the commits', () => {
    expect(
      compareLink({
        owner: 'nationalarchives',
        imageRepository: 'consignment-api',
        previous: { version: 'v7' },
        current: { version: 'v9' },
      }),
    ).to.equal('https://github.com/nationalarchives/tdr-consignment-api/compare/v7...v9');
  });

  it('links the tree for a first release or a re-release of the same revision', () => {
    const first = { owner: 'nationalarchives', imageRepository: 'auth-server', current: { version: 'v1' } };
    expect(compareLink(first)).to.equal('https://github.com/nationalarchives/tdr-auth-server/tree/v1');
    expect(compareLink({ ...first, previous: { version: 'v1' } })).to.equal(
      'https://github.com/nationalarchives/tdr-auth-server/tree/v1',
    );
  });

  it('the Slack line names the service, the versions, the environment and links the changes', () => {
    expect(
      releaseSummary({
        service: 'frontend',
        version: 'v42',
        previousVersion: 'v41',
        env: 'staging',
        outcome: 'succeeded',
        compareUrl: 'https://github.com/nationalarchives/tdr-transfer-frontend/compare/v41...v42',
      }),
    ).to.equal(
      'frontend v41 → v42 in staging: succeeded (<https://github.com/nationalarchives/tdr-transfer-frontend/compare/v41...v42|changes>)',
    );
  });
});
