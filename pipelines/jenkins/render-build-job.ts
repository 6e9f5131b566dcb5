/**
 * The Job DSL of a build job: a multibranch project over one source repository, whose every
 * branch and pull request runs the one build template (embedded by the seed, read from its
 * workspace like every other pipeline), not a Jenkinsfile of the repository's own.
 */
import { indent, str } from './groovy';
import type { Job } from './model';

/** Branches and pull requests are found again at least this often if a webhook is missed. */
const RESCAN_INTERVAL = '1d';

/** `template` is the build template's path in the seed's workspace. */
export function renderBuildJob(job: Job, template: string, authorisation: string): string {
  const repo = job.repository;
  if (!repo?.markerFile) throw new Error(`build job ${job.path} needs a repository with a marker file`);
  return [
    `multibranchPipelineJob(${str(job.path)}) {`,
    `    description(${str(job.description)})`,
    indent(githubBranchSources(job.path, repo, discoveryTraits()), 1),
    '    factory {',
    // The template, not the repository, says what a build does: a branch cannot change it.
    '        inlineDefinitionBranchProjectFactory {',
    `            markerFile(${str(repo.markerFile)})`,
    `            script(readFileFromWorkspace(${str(template)}))`,
    '            sandbox(true)',
    '        }',
    '    }',
    // GitHub's webhook starts builds; the periodic scan only catches a delivery that was lost.
    '    triggers {',
    '        periodicFolderTrigger {',
    `            interval(${str(RESCAN_INTERVAL)})`,
    '        }',
    '    }',
    '    orphanedItemStrategy {',
    '        discardOldItems {',
    '            numToKeep(20)',
    '        }',
    '    }',
    '    properties {',
    indent(authorisation, 2),
    '    }',
    '}',
  ].join('\n');
}

/**
 * The `branchSources` block of a multibranch job over a GitHub repository, with `traits` (Job DSL
 * text) inside its source. The platform's multibranch job (render-seed.ts) can share it.
 */
export function githubBranchSources(
  path: string,
  repo: NonNullable<Job['repository']>,
  traits: string,
): string {
  return [
    'branchSources {',
    '    branchSource {',
    '        source {',
    '            github {',
    `                id(${str(path.replace(/\//g, '-'))})`,
    `                repoOwner(${str(repo.owner)})`,
    `                repository(${str(repo.name)})`,
    `                repositoryUrl(${str(`https://github.com/${repo.owner}/${repo.name}`)})`,
    '                configuredByUrl(false)',
    `                credentialsId(${str(repo.credentialsId)})`,
    indent(traits, 4),
    '            }',
    '        }',
    '    }',
    '}',
  ].join('\n');
}

/**
 * Branches (except those also filed as pull requests, built once as the PR), pull requests from
 * the repository itself merged with their target, and tags fetched for the version step. Pull
 * requests from forks are not discovered: their tests would run a stranger's build definition
 * on an agent that can push to mgmt's ECR.
 */
function discoveryTraits(): string {
  return [
    'traits {',
    '    gitHubBranchDiscovery {',
    '        strategyId(1)',
    '    }',
    '    gitHubPullRequestDiscovery {',
    '        strategyId(1)',
    '    }',
    '    cloneOptionTrait {',
    '        extension {',
    '            shallow(false)',
    '            noTags(false)',
    "            reference('')",
    '            timeout(20)',
    '            honorRefspec(false)',
    '        }',
    '    }',
    '}',
  ].join('\n');
}
