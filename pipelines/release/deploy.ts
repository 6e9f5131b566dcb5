/**
 * TRANSITION (structure issue): the entry `tdr sandbox demo` (./demo.ts) still calls, with the old
 * contract: a run that did not succeed is thrown, and a thrown error carries the CLI's exit number.
 * Everything else calls `releaseService` (./ecs-service-rollout.ts), whose outcome is a value.
 * Delete this file when the demo moves to sandbox/ and takes exit numbers from cli/.
 */
import { PlatformError } from '../../services/errors';
import type { ReleaseDeps } from './context';
import { ReleaseFailedError } from './errors';
import { releaseService, type ReleaseRequest, type ReleaseResult } from './ecs-service-rollout';

export type { ReleaseRequest, ReleaseResult };

/** DESIGN.md's CLI contract, as the demo prints it. */
const DEMO_EXIT_CODES = { failed: 1, invalid: 2, refused: 3, conflict: 4 } as const;

export async function release(deps: ReleaseDeps, req: ReleaseRequest): Promise<ReleaseResult> {
  try {
    const { result, failure } = await releaseService(deps, req);
    if (failure) throw new ReleaseFailedError(failure);
    return result;
  } catch (err) {
    if (err instanceof PlatformError) throw Object.assign(err, { exitCode: DEMO_EXIT_CODES[err.kind] });
    throw err;
  }
}
