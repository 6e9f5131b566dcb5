/**
 * The oldest Node `tdr` runs on. package.json's `engines`, scripts/use-node.sh and the Jenkins
 * agent image name the same major (node-version.test.ts holds them to it).
 */
import { ExitCode } from './exit-codes';

export const MINIMUM_NODE_MAJOR = 24;

/** Why `tdr` will not run on this Node, or undefined when it will. */
export function unsupportedNodeMessage(version: string = process.versions.node): string | undefined {
  if (Number(version.split('.')[0]) >= MINIMUM_NODE_MAJOR) return undefined;
  return `tdr needs Node ${MINIMUM_NODE_MAJOR} or later and this is Node ${version}; the repository's scripts/use-node.sh installs it`;
}

/** Runs before any dependency loads, so that an older Node says why rather than failing inside one. */
export function refuseUnsupportedNode(): void {
  const message = unsupportedNodeMessage();
  if (message === undefined) return;
  process.stderr.write(`error: ${message}\n`);
  process.exit(ExitCode.invalidInput);
}
