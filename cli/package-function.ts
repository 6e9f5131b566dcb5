/**
 * `node … cli/package-function.ts BUILD_ROOT OUTPUT_ZIP`: the canary judge's package from its tsc
 * output (pipelines/release/hook/package.ts), for `npm run package:canary-judge` in the platform
 * repository's build job. Prints the files, size and SHA-256; exit 2 when the build cannot be
 * packaged (a module the Lambda runtime does not provide), nothing written.
 */
import { exitCodeOf, ExitCode } from './exit-codes';
import { writePackage } from '../pipelines/release/hook/package';

function main(argv: readonly string[]): number {
  const [root, output] = argv;
  if (!root || !output) {
    process.stderr.write('usage: package-function.ts BUILD_ROOT OUTPUT_ZIP\n');
    return ExitCode.invalidInput;
  }
  try {
    const p = writePackage(root, output);
    process.stdout.write(
      `${output}: ${p.files.length} files, ${p.zip.length} bytes, sha256 ${p.sha256}; from the runtime: ${p.provided.join(', ')}\n`,
    );
    return ExitCode.ok;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return exitCodeOf(err);
  }
}

process.exitCode = main(process.argv.slice(2));
