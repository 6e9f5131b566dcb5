/**
 * Jenkins as code: the model built from `services/`, and its renderings — the Job DSL seed,
 * one Jenkinsfile per job kind and environment, the controller's JCasC file and the platform
 * repository's own Jenkinsfile.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadPlatform, type Platform } from '../../services/config';
import { buildJenkinsModel } from './build-model';
import type { JenkinsModel } from './model';
import { renderCasc } from './render-casc';
import { GENERATED_MARKER, renderJenkinsfile } from './render-jenkinsfile';
import { pipelinePath, renderSeed } from './render-seed';
import { JENKINS_PLUGINS } from './plugins';
import { scanForSecrets } from './secret-scan';
import { DEFAULT_JENKINS_SETTINGS, type JenkinsSettings } from './settings';

export { buildJenkinsModel } from './build-model';
export { allStages, allSteps } from './walk';
export type * from './model';
export {
  AGENT_DOCKERFILE,
  AGENT_IMAGE_TARGETS,
  agentImageTag,
  DEFAULT_JENKINS_SETTINGS,
  standUpJenkinsImages,
  type JenkinsSettings,
} from './settings';
export { scanForSecrets, type SecretFinding } from './secret-scan';

/** File name of the platform pipeline, in the output directory and at the repository's root. */
export const ROOT_JENKINSFILE = 'Jenkinsfile';

const ROOT_HEADER = [
  'The TDR platform repository pipeline: install, test, synth; on main apply intg, reseed jobs,',
  'publish dashboards, and ask admins to apply staging and prod.',
  'Refresh this file with `npx tdr jobs build --jenkinsfile Jenkinsfile`.',
];

/** The platform repository's own pipeline (committed at the root as `Jenkinsfile`). */
export function renderRootJenkinsfile(model: JenkinsModel): string {
  return renderJenkinsfile(model.platformPipeline, ROOT_HEADER);
}

export { JENKINS_PLUGINS } from './plugins';

/** `name:version` per line, as jenkins-plugin-cli reads it. */
export function renderPlugins(): string {
  const lines = Object.entries(JENKINS_PLUGINS).flatMap(([plugin, p]) => [
    `# ${p.why}`,
    `${plugin}:${p.version}`,
  ]);
  return [`# ${GENERATED_MARKER}`, ...lines].join('\n') + '\n';
}

/** Every generated file, by path relative to the output directory. */
export function renderJenkins(
  model: JenkinsModel,
  settings: JenkinsSettings = DEFAULT_JENKINS_SETTINGS,
): Map<string, string> {
  const files = new Map<string, string>();
  files.set('seed.groovy', renderSeed(model, settings.outputDir));
  for (const p of model.pipelines) files.set(pipelinePath(p.id), renderJenkinsfile(p));
  files.set('jenkins.yaml', renderCasc(model, settings));
  files.set('plugins.txt', renderPlugins());
  files.set(ROOT_JENKINSFILE, renderRootJenkinsfile(model));
  return files;
}

/** Writes every generated file under `outDir` and returns their paths. */
export async function buildJenkins(
  outDir: string,
  platform: Platform = loadPlatform(),
  settings: JenkinsSettings = DEFAULT_JENKINS_SETTINGS,
): Promise<{ files: string[] }> {
  const rendered = renderJenkins(buildJenkinsModel(platform, settings), settings);
  const leaks = [...rendered].flatMap(([relative, content]) =>
    scanForSecrets(content).map((f) => `${relative}:${f.line}: ${f.rule} (${f.excerpt})`),
  );
  if (leaks.length > 0) {
    throw new Error(
      `refusing to write Jenkins files that look like they hold secrets:\n  ${leaks.join('\n  ')}`,
    );
  }
  const files: string[] = [];
  for (const [relative, content] of rendered) {
    const file = join(outDir, relative);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
    files.push(file);
  }
  return { files };
}
