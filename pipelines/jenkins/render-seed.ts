/**
 * The Job DSL seed script: folders per environment and service (as people navigate: intg →
 * frontend → deploy), one pipeline job per model job reading its Jenkinsfile from the seed's
 * workspace, and per-job permissions by GitHub team.
 */
import { indent, list, multiline, str } from './groovy';
import type { JenkinsModel, Job, Parameter } from './model';
import { renderBuildJob } from './render-build-job';
import { GENERATED_MARKER } from './render-jenkinsfile';

/** Where a pipeline's Jenkinsfile is written, relative to the output directory. */
export function pipelinePath(id: string): string {
  return `pipelines/${id}.Jenkinsfile`;
}

const RUN = ['Job/Build', 'Job/Cancel', 'Job/Read'];
const READ = ['Job/Read'];

export interface JobDefinition {
  /** Read the Jenkinsfile from the seed workspace at `dir` (the seed run). */
  readonly workspaceDir?: string;
  /** Or embed the script itself (the seed job that JCasC creates before any workspace exists). */
  readonly inlineScript?: string;
}

export function renderSeed(model: JenkinsModel, workspaceDir: string): string {
  const parts = [
    `// ${GENERATED_MARKER}`,
    '// Job DSL seed: creates every job of the model; run by mgmt/seed on each start and each merge.',
    ...model.folders.map(renderFolder),
    ...model.jobs.map((j) => renderJob(model, j, { workspaceDir })),
  ];
  return parts.join('\n') + '\n';
}

function renderFolder(f: { path: string; description: string }): string {
  return `folder(${str(f.path)}) {\n    description(${str(f.description)})\n}`;
}

function renderParameter(p: Parameter): string {
  if (p.type === 'boolean')
    return `booleanParam(${str(p.name)}, ${p.defaultValue === 'true'}, ${str(p.description)})`;
  if (p.type === 'choice')
    return `choiceParam(${str(p.name)}, ${list(p.choices ?? [])}, ${str(p.description)})`;
  return `stringParam(${str(p.name)}, ${str(p.defaultValue ?? '')}, ${str(p.description)})`;
}

/**
 * Permissions do not inherit from the folder: each job says who may start it, so the rule
 * "developers run intg and staging, admins run prod" is visible job by job. Admins hold
 * Overall/Administer (jenkins.yaml) and so every permission.
 */
export function renderAuthorisation(model: JenkinsModel, job: Job): string {
  const { teams } = model.authorisation;
  const entries = Object.entries(teams).map(([group, team]) => {
    const permissions = job.runnableBy.includes(group) ? RUN : READ;
    return `group {\n    name(${str(team)})\n    permissions(${list(permissions)})\n}`;
  });
  return [
    'authorizationMatrix {',
    '    inheritanceStrategy {',
    '        nonInheriting()',
    '    }',
    '    entries {',
    indent(entries.join('\n'), 2),
    '    }',
    '}',
  ].join('\n');
}

export function renderJob(model: JenkinsModel, job: Job, definition: JobDefinition): string {
  if (job.kind === 'platform') return renderMultibranch(model, job);
  if (job.kind === 'build') {
    if (!job.pipeline || !definition.workspaceDir)
      throw new Error(`build job ${job.path} reads its template from the seed workspace`);
    const template = `${definition.workspaceDir}/${pipelinePath(job.pipeline)}`;
    return renderBuildJob(job, template, renderAuthorisation(model, job));
  }
  if (!job.pipeline) throw new Error(`job ${job.path} has no pipeline`);
  const body: string[] = [`description(${str(job.description)})`];
  if (job.parameters.length > 0) {
    body.push(`parameters {\n${indent(job.parameters.map(renderParameter).join('\n'))}\n}`);
  }
  const properties = [renderAuthorisation(model, job)];
  const crons = job.triggers.flatMap((t) => (t.kind === 'cron' ? [t.spec] : []));
  if (crons.length > 0) {
    properties.push(
      `pipelineTriggers {\n    triggers {\n${crons
        .map((c) => indent(`cron {\n    spec(${str(c)})\n}`, 2))
        .join('\n')}\n    }\n}`,
    );
  }
  body.push(`properties {\n${indent(properties.join('\n'))}\n}`);
  // An embedded script is spliced in after indenting: indenting it would change its text.
  const INLINE = '@@INLINE_SCRIPT@@';
  const script = definition.inlineScript
    ? `script(${INLINE})`
    : `script(readFileFromWorkspace(${str(`${definition.workspaceDir}/${pipelinePath(job.pipeline)}`)}))`;
  body.push(`definition {\n    cps {\n${indent(script, 2)}\n        sandbox(true)\n    }\n}`);
  const text = `pipelineJob(${str(job.path)}) {\n${indent(body.join('\n'))}\n}`;
  return definition.inlineScript
    ? text.replace(INLINE, () => multiline(definition.inlineScript ?? ''))
    : text;
}

function renderMultibranch(model: JenkinsModel, job: Job): string {
  const repo = job.repository;
  if (!repo) throw new Error(`multibranch job ${job.path} has no repository`);
  return [
    `multibranchPipelineJob(${str(job.path)}) {`,
    `    description(${str(job.description)})`,
    '    branchSources {',
    '        branchSource {',
    '            source {',
    '                github {',
    `                    id(${str(job.path.replace(/\//g, '-'))})`,
    `                    repoOwner(${str(repo.owner)})`,
    `                    repository(${str(repo.name)})`,
    `                    repositoryUrl(${str(`https://github.com/${repo.owner}/${repo.name}`)})`,
    '                    configuredByUrl(false)',
    `                    credentialsId(${str(repo.credentialsId)})`,
    // Without discovery traits a GitHub source finds nothing. Branches (not also open as pull
    // requests) and pull requests from the repository itself, merged with their target; pull
    // requests from forks are not built, since every build runs on agents with AWS roles.
    '                    traits {',
    '                        gitHubBranchDiscovery {',
    '                            strategyId(1)',
    '                        }',
    '                        gitHubPullRequestDiscovery {',
    '                            strategyId(1)',
    '                        }',
    '                    }',
    '                }',
    '            }',
    '        }',
    '    }',
    '    factory {',
    '        workflowBranchProjectFactory {',
    "            scriptPath('Jenkinsfile')",
    '        }',
    '    }',
    '    orphanedItemStrategy {',
    '        discardOldItems {',
    '            numToKeep(20)',
    '        }',
    '    }',
    '    properties {',
    indent(renderAuthorisation(model, job), 2),
    '    }',
    '}',
  ].join('\n');
}
