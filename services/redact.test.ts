import { expect } from 'chai';
import { redactUrls } from './redact';

describe('redactUrls', () => {
  it('keeps the scheme and host of every URL, never its path, query or credentials', () => {
    expect(redactUrls('Failed to parse URL from https://hooks.slack.com/services/T0/B0/s3cr3t x')).to.equal(
      'Failed to parse URL from https://hooks.slack.com/… x',
    );
    expect(redactUrls('GRAFANA_URL: http://admin:pw@grafana.internal:3000/api?token=abc')).to.equal(
      'GRAFANA_URL: http://grafana.internal:3000/…',
    );
    expect(redactUrls('s3://tdr-release-ledger-mgmt/records/x.json and https://example.org')).to.equal(
      's3://tdr-release-ledger-mgmt/records/x.json and https://example.org',
    );
  });
});
