/**
 * Entry point for the Pulumi CLI (`main: infra/` in Pulumi.yaml): `pulumi preview --stack intg`.
 * The stack name is the account; its config comes from infra/stacks/Pulumi.<stack>.yaml.
 */
import * as pulumi from '@pulumi/pulumi';
import { loadPlatform } from '../services/config';
import { parseStackConfig, requireStackName } from './config';
import { defineStack } from './program';

const stack = requireStackName(pulumi.getStack());
const config = parseStackConfig(stack, pulumi.runtime.allConfig(), `stack ${stack}`);

export = defineStack(loadPlatform(), config);
