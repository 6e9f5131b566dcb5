/**
 * `tdr verify` for a function: one `[OK]`/`[NG]` line per dependency of a release of it (the
 * alias shift of lambda-alias-shift.ts), every one checked even after a failure, as for a service:
 *
 *   role assumable, ledger bucket   as for a service (every Lambda and Logs call needs the role)
 *   code bucket, package            a release reads its package from mgmt's code bucket, and the
 *                                   package gate refuses one without a full-object SHA-256
 *   function                        exists, with the catalogue's runtime and handler: infra sets
 *                                   them and a release moves only code, so no release mends them
 *   live alias                      what every release moves, on a published version
 *   log group                       where the function logs (its role may not create it)
 *   ledger record                   the ledger knows what `live` runs (or nothing was released yet)
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { LambdaEntry } from '../../../services/catalogue';
import type { WorkloadEnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import { functionPackageFile } from '../../../services/queries';
import { ledgerOf, workloadEnv, type ReleaseDeps } from '../saga/context';
import { functionRow } from './function-status';
import { functionEntry } from '../strategies/lambda-alias-shift';
import { Lambda, listPackages, resolvePackage, type LiveFunction } from '../aws/lambda';
import { releaseRecords } from '../ledger/ledger';
import { Checks, checkLogGroup, checkRoleAndLedger, type VerifyCheck } from './verify';

type Deps = Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>;

const alias = naming.functionAlias();

export async function verifyFunction(deps: Deps, fn: string, envName: string): Promise<VerifyCheck[]> {
  const entry = functionEntry(deps.platform, fn);
  const env = workloadEnv(envName);
  const checks = new Checks();
  const lambda = new Lambda(deps.clients.lambda(env));
  const assumed = await checkRoleAndLedger(checks, deps, env, lambda.client);
  // The packages are in mgmt: they are checked whatever happened in the workload account.
  await checkPackages(checks, deps, fn, entry);
  if (!assumed) {
    for (const n of ['function', 'live alias', 'log group', 'ledger record'])
      checks.skip(n, `needs ${naming.jenkinsEcsUpdateRole(env)}`);
    return checks.list;
  }
  const functionName = naming.functionName(fn, env);
  const config = await checkFunction(checks, deps, env, lambda, functionName, entry);
  const live = config
    ? await checks.run<LiveFunction>('live alias', () => liveAlias(lambda, functionName, env))
    : (checks.skip('live alias', `needs ${functionName}`), undefined);
  // Where Lambda really sends the logs; infra names the group so, and it is Lambda's default too.
  const logGroup = config?.LoggingConfig?.LogGroup ?? naming.functionLogGroup(fn, env);
  await checkLogGroup(
    checks,
    deps,
    env,
    logGroup,
    `${functionName}'s logs are lost, because its role may write to the group (logs:CreateLogStream, logs:PutLogEvents) but not create it`,
  );
  if (live) await checkLedgerRecord(checks, deps, fn, env, functionName, live);
  else checks.skip('ledger record', `needs the ${alias} alias`);
  return checks.list;
}

/** The code bucket is reachable and holds a package of `fn` a release can take. */
async function checkPackages(checks: Checks, deps: Deps, fn: string, entry: LambdaEntry): Promise<void> {
  const s3 = deps.clients.mgmt.s3;
  const bucket = naming.backendCodeBucket();
  const reachable = await checks.run('code bucket', async () => {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return { ok: true, detail: `s3://${bucket} in mgmt`, value: true };
  });
  if (!reachable) {
    checks.skip('package', 'needs the code bucket');
    return;
  }
  await checks.run('package', async () => {
    const prefix = naming.functionPackagePrefix(fn);
    const where = `s3://${bucket}/${prefix}`;
    const file = functionPackageFile(entry);
    const packages = await listPackages(s3, bucket, prefix, file);
    if (packages.length === 0)
      return {
        ok: false,
        detail: `no package of ${fn} under ${where} ({version}/${file}): the build job uploads one with its SHA-256 on each merge (upload-package); until then there is nothing to release`,
      };
    const without: string[] = [];
    for (const p of packages) {
      const lookup = await resolvePackage(s3, bucket, p.key, p.version);
      if (lookup.ok)
        return {
          ok: true,
          detail: `${lookup.pkg.uri} (sha256 ${lookup.pkg.sha256}), the newest releasable of ${packages.length} under ${where}${without.length > 0 ? `; newer, without a full-object SHA-256 (the package gate refuses them): ${without.join(', ')}` : ''}`,
        };
      without.push(p.version);
    }
    return {
      ok: false,
      detail: `none of the ${packages.length} packages under ${where} has a full-object SHA-256, so the package gate refuses every one (${without.join(', ')}): upload them with upload-package (put-object --checksum-sha256)`,
    };
  });
}

/** `$LATEST`'s configuration when the function exists, whether or not it is as the catalogue says. */
async function checkFunction(
  checks: Checks,
  deps: Deps,
  env: WorkloadEnvironmentName,
  lambda: Lambda,
  functionName: string,
  entry: LambdaEntry,
): Promise<FunctionConfiguration | undefined> {
  let config: FunctionConfiguration | undefined;
  await checks.run('function', async () => {
    config = await lambda.findFunction(functionName, ` in ${env}`);
    if (!config)
      return {
        ok: false,
        detail: `${functionName} does not exist in ${env} (account ${deps.clients.accountIds[env]}): infra creates it; run pulumi up for the ${env} stack (locally: tdr sandbox up)`,
      };
    const differs = [
      ...(config.Runtime !== entry.runtime
        ? [`runtime ${config.Runtime ?? '(none)'}, the catalogue says ${entry.runtime}`]
        : []),
      ...(config.Handler !== entry.handler
        ? [`handler ${config.Handler ?? '(none)'}, the catalogue says ${entry.handler}`]
        : []),
    ];
    if (differs.length > 0)
      return {
        ok: false,
        detail: `${functionName} has ${differs.join('; ')}: a release moves only the code, so it would run under these too; run pulumi up for the ${env} stack`,
      };
    // An update in progress makes a release's own update wait, or fail with a conflict.
    const state =
      (config.State ?? 'Active') === 'Active' && (config.LastUpdateStatus ?? 'Successful') === 'Successful'
        ? ''
        : ` (State ${config.State ?? '?'}, LastUpdateStatus ${config.LastUpdateStatus ?? '?'})`;
    return {
      ok: true,
      detail: `${functionName}: runtime ${entry.runtime}, handler ${entry.handler}, as the catalogue says${state}`,
    };
  });
  return config;
}

async function liveAlias(lambda: Lambda, functionName: string, env: WorkloadEnvironmentName) {
  const live = await lambda.live(functionName, alias, ` in ${env}`);
  if (!live)
    return {
      ok: false,
      detail: `${functionName} has no ${alias} alias in ${env}: every trigger calls it and every release moves it; infra creates it (run pulumi up for the ${env} stack; locally: tdr sandbox up)`,
    };
  const version = live.alias.FunctionVersion;
  // The shift updates $LATEST before it publishes: through an alias on $LATEST, callers would
  // get the new code before the update is checked, and a rollback could not take it back.
  if (version === '$LATEST')
    return {
      ok: false,
      detail: `${alias} points at $LATEST, so a release's code update would reach every caller before it is published; point ${alias} at a published version`,
    };
  return {
    ok: true,
    detail: `${alias} → version ${version ?? '?'} (sha256 ${live.version.CodeSha256 ?? '?'})`,
    value: live,
  };
}

/** The ledger has a record of what `live` runs; a function never released has none to have. */
async function checkLedgerRecord(
  checks: Checks,
  deps: Deps,
  fn: string,
  env: WorkloadEnvironmentName,
  functionName: string,
  live: LiveFunction,
): Promise<void> {
  await checks.run('ledger record', async () => {
    const { records } = await ledgerOf(deps).view(fn, env);
    const runs = {
      functionName,
      aliasVersion: live.alias.FunctionVersion ?? null,
      sha256: live.version.CodeSha256 ?? null,
    };
    const row = functionRow(fn, env, records, runs, deps.now());
    const unsettled = row.unsettled.map(
      (u) =>
        `; run ${u.runId} (${u.version} by ${u.actor}, ledger #${u.seq}) has no outcome yet, and the next release settles it`,
    );
    if (releaseRecords(records).length === 0)
      return {
        ok: true,
        detail: `no release of ${fn} in ${env} recorded yet (${alias} runs version ${runs.aliasVersion ?? '?'}, sha256 ${runs.sha256 ?? '?'}); the first release records one`,
      };
    if (row.drift.length > 0)
      return {
        ok: false,
        detail: `${row.drift.join('; ')}: changed outside tdr (tdr status shows the drift), and the next release replaces it${unsettled.join('')}`,
      };
    return {
      ok: true,
      detail: `${alias} runs ${row.version ?? '?'} (sha256 ${row.sha256 ?? '?'}), as the ledger says (by ${row.deployedBy ?? '?'} at ${row.deployedAt ?? '?'})${unsettled.join('')}`,
    };
  });
}
