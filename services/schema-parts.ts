/** zod pieces the model's schemas share (./validate.ts, ./validate-backend.ts). */
import { z } from 'zod';

export const perEnv = <T extends z.ZodType>(schema: T) =>
  z.strictObject(
    { intg: schema, staging: schema, prod: schema },
    { error: 'must give a value for intg, staging and prod' },
  );

export const pascal = z
  .string()
  .regex(/^[A-Z][A-Za-z0-9]{1,29}$/, { error: 'must be PascalCase, 2-30 letters or digits' });

/** A command line run by a shell in the build: one line, so that the build log shows all of it. */
export const commandLine = z
  .string()
  .min(1, { error: 'must be a shell command line' })
  .regex(/^[^\n\r]*$/, { error: 'must be one line' });

/** A relative path inside a repository, never leaving it. */
export const repositoryPath = (example: string) =>
  z.string().regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._/-]+$/, {
    error: `must be a path inside the repository, ${example}`,
  });

/** What every built entry's source has: the repository, its main branch, its test and package commands. */
export const buildSourceShape = {
  repository: z.string().regex(/^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/, {
    error: 'must be a GitHub repository name: letters, digits, . _ -, at most 100',
  }),
  mainBranch: z.string().regex(/^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,100}$/, { error: 'must be a branch name' }),
  test: commandLine,
  package: commandLine,
};
