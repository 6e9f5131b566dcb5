/** The stacks `tdr synth` renders, in stand-up order. Light to import: no Pulumi, no zod. */
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../services/environments';
import { naming } from '../services/naming';

/** The bootstrap's stack (its own project, infra/bootstrap), synthesised beside the five accounts. */
export const BOOTSTRAP_STACK = naming.bootstrapStack() as 'bootstrap';
export type SynthStackName = EnvironmentName | typeof BOOTSTRAP_STACK;
/** The bootstrap first, as it is stood up first. */
export const ALL_STACKS: readonly SynthStackName[] = [BOOTSTRAP_STACK, ...ENVIRONMENT_NAMES];
