import { expect } from 'chai';
import { run } from './main';

async function tdr(argv: string[]) {
  let stderr = '';
  const code = await run(
    argv,
    { stdout: () => {}, stderr: (t) => void (stderr += t) },
    {
      // Any AWS call would fail to connect here; bad input must be refused before one is made.
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_REGION: 'eu-west-2',
    },
  );
  return { code, stderr };
}

describe('tdr report: bad input exits 2 before any AWS call', () => {
  it('refuses a page in a directory that does not exist', async () => {
    const r = await tdr(['report', '--html', '/nonexistent-tdr-dir/release-report.html']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('/nonexistent-tdr-dir is not a directory that exists');
  });

  it('refuses a page URL that is not http(s)', async () => {
    const r = await tdr(['report', '--slack', '--page-url', 'javascript:alert(1)']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('not an http(s) URL');
  });

  it('refuses an unknown output format', async () => {
    expect((await tdr(['report', '-o', 'yaml'])).code).to.equal(2);
  });
});
