/**
 * The policy pack for the Pulumi CLI: `pulumi preview --stack prod --policy-pack infra/policies`.
 * Constructing a PolicyPack starts the policy gRPC server, so nothing else may import this file;
 * offline synth and tests run the same rules through ./evaluate.ts.
 */
import { PolicyPack } from '@pulumi/policy';
import { ALL_POLICIES } from './rules';

new PolicyPack('tdr-security', {
  description: 'What a security reviewer of the TDR estate checks',
  enforcementLevel: 'mandatory',
  policies: [...ALL_POLICIES],
});
