/**
 * A release train's id (issue 26): `train-` and 16 hex digits of the SHA-256 of its members
 * (pipelines/release/train/plan.ts `trainIdOf`). One pattern for every reader: the CLI's
 * `--train`, the train lease's holder, and the Jenkins release-train jobs' TRAIN parameter.
 */
export const TRAIN_ID_PATTERN_SOURCE = '^train-[0-9a-f]{16}$';
export const TRAIN_ID_PATTERN = new RegExp(TRAIN_ID_PATTERN_SOURCE);
/** What a valid id looks like, for error messages. */
export const TRAIN_ID_HINT = 'train- and 16 hex digits';
