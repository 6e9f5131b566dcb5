/** Every input's bound, with the message that names what is valid. */
import { expect } from 'chai';
import {
  CONFIG_STRING_MAX,
  REASON_MAX,
  URL_MAX,
  configStringProblems,
  httpsUrlProblem,
  textProblem,
} from './input-bounds';

describe('input bounds', () => {
  it('text: one line, bounded', () => {
    expect(textProblem('database upgrade until 14:00', REASON_MAX)).to.equal(null);
    expect(textProblem('x'.repeat(REASON_MAX + 1), REASON_MAX)).to.equal(
      `at most ${REASON_MAX} characters, not ${REASON_MAX + 1}`,
    );
    for (const bad of [
      'a\nb',
      'a\rb',
      'a\u0000b',
      'a\u001bb',
      'a\u0085b',
      'a\u2028b',
      'a\u200bb',
      'a\u202eb',
    ])
      expect(textProblem(bad, REASON_MAX), JSON.stringify(bad)).to.contain('one line');
  });

  it('URLs: https only, bounded, one token', () => {
    expect(httpsUrlProblem('https://jenkins.example/job/prod/7/')).to.equal(null);
    for (const bad of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'http://jenkins.example/1',
      'data:text/html,x',
    ])
      expect(httpsUrlProblem(bad), bad).to.match(/must be an https URL/);
    expect(httpsUrlProblem('not a url')).to.match(/without spaces/);
    expect(httpsUrlProblem('jenkins/job/1')).to.match(/is not a URL/);
    expect(httpsUrlProblem(`https://j.example/${'a'.repeat(URL_MAX)}`)).to.match(/^at most 2048 characters/);
  });

  it('TDR_CONFIG: every over-long or multi-line string, by its path', () => {
    const problems = configStringProblems({
      environments: {
        prod: { promotion: { freezeWindows: [{ reason: 'x'.repeat(CONFIG_STRING_MAX + 1) }] } },
      },
      catalogue: { frontend: { imageRepo: 'a\u0007b' } },
      ok: ['fine', 1, true, null],
    });
    expect(problems.map((p) => p.path)).to.deep.equal([
      'environments.prod.promotion.freezeWindows[0].reason',
      'catalogue.frontend.imageRepo',
    ]);
    expect(problems[0]?.message).to.equal(
      `at most ${CONFIG_STRING_MAX} characters, not ${CONFIG_STRING_MAX + 1}`,
    );
  });
});
