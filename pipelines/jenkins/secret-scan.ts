/**
 * Finds what looks like a secret in generated text. `tdr jobs build` refuses to write a file
 * that matches, and the tests scan every rendering: Jenkins configuration names where secrets
 * live (SSM parameters), never their values.
 */
export interface SecretFinding {
  readonly rule: string;
  readonly line: number;
  readonly excerpt: string;
}

const RULES: ReadonlyArray<readonly [rule: string, pattern: RegExp]> = [
  ['AWS access key id', /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/],
  // 40 base64 characters with mixed case and a digit: the shape of an AWS secret access key.
  [
    'AWS secret access key',
    /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+=]*[0-9])(?=[A-Za-z0-9/+=]*[a-z])(?=[A-Za-z0-9/+=]*[A-Z])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/,
  ],
  ['AWS account id (12 digits)', /(?<!\d)\d{12}(?!\d)/],
  ['GitHub token', /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/],
  ['Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
  ['Slack webhook', /hooks\.slack\.com\/services\/[A-Za-z0-9/]+/],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['JSON web token', /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./],
  // A credential-shaped key given a literal rather than a `${/mgmt/…}` reference.
  [
    'literal credential value',
    /\b(?:password|secret|clientSecret|secretKey|accessKey|apiToken|token)\s*[:=]\s*['"]?(?!\$\{)[^\s'",)]{4,}/i,
  ],
];

export function scanForSecrets(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  text.split('\n').forEach((line, i) => {
    for (const [rule, pattern] of RULES) {
      const m = pattern.exec(line);
      if (m) findings.push({ rule, line: i + 1, excerpt: `${m[0].slice(0, 6)}…` });
    }
  });
  return findings;
}
