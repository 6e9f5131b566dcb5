/**
 * Declarative Jenkinsfiles from the model. Groovy stays thin: checks, approvals, locks and
 * triggers; every release action is a `tdr` command. Shell steps are single-quoted Groovy with
 * variables expanded by the shell from the environment, so no value reaches a script as text.
 */
import { naming } from '../../services/naming';
import { call, expressionList, identifier, indent, list, map, shellWord, str } from './groovy';
import { buildAgentLabel, platformAgentLabel } from './agents';
import type { Arg, Condition, Parameter, Pipeline, PostSteps, Stage, Step, Text } from './model';

export const GENERATED_MARKER = 'generated — edit pipelines/jenkins, then run `npx tdr jobs build`';

/** Steps that are Groovy statements rather than pipeline steps, so need a `script {}` block. */
const SCRIPTED: ReadonlySet<Step['kind']> = new Set([
  'require-choice',
  'require-pattern',
  'lookup',
  'capture-actor',
  'resolve-release',
  'approval',
  'require-different',
  'capture',
  'project-lookup',
  'trigger-each',
  'if-matches',
  'set',
  'read-json-flag',
  'read-json-field',
  'if-variable',
  // `node` is a scripted step: declarative steps {} refuse it outside a script.
  'on-agent',
]);

export function renderJenkinsfile(p: Pipeline, header: readonly string[] = []): string {
  const options = [
    `timeout(time: ${p.timeoutHours}, unit: 'HOURS')`,
    "buildDiscarder(logRotator(numToKeepStr: '200'))",
    // Jobs check out what they need explicitly; an implicit checkout would hide which repository.
    'skipDefaultCheckout()',
    ...(p.disableConcurrentBuilds ? ['disableConcurrentBuilds()'] : []),
  ];
  const variables = [
    ...Object.entries(p.variables).map(([k, v]) => `${identifier(k)} = ${str(v)}`),
    ...Object.entries(p.credentialVariables).map(([k, id]) => `${identifier(k)} = credentials(${str(id)})`),
  ];
  const lines = [
    `// ${GENERATED_MARKER}`,
    ...header.map((h) => `// ${h}`),
    `// ${p.title}`,
    'pipeline {',
    // No agent at the top: stages that need one name their environment's; approvals hold none.
    '    agent none',
    block('options', options, 1),
    ...(p.parameters && p.parameters.length > 0 ? [block('parameters', p.parameters.map(parameter), 1)] : []),
    ...(variables.length > 0 ? [block('environment', variables, 1)] : []),
    indent(`stages {\n${p.stages.map((s) => indent(renderStage(s, p))).join('\n')}\n}`),
    ...(hasPost(p.post) ? [indent(renderPost(p.post))] : []),
    '}',
  ];
  return lines.join('\n') + '\n';
}

function block(name: string, body: readonly string[], level: number): string {
  return indent(`${name} {\n${body.map((l) => indent(l)).join('\n')}\n}`, level);
}

/** A parameter the Jenkinsfile declares (multibranch jobs, whose parameters no seed sets). */
function parameter(x: Parameter): string {
  const name = identifier(x.name);
  switch (x.type) {
    case 'boolean':
      return `booleanParam(name: ${str(name)}, defaultValue: ${x.defaultValue === 'true'}, description: ${str(x.description)})`;
    case 'choice':
      return `choice(name: ${str(name)}, choices: ${list(x.choices ?? [])}, description: ${str(x.description)})`;
    case 'string':
      return `string(name: ${str(name)}, defaultValue: ${str(x.defaultValue ?? '')}, description: ${str(x.description)})`;
  }
}

function condition(c: Condition): string {
  switch (c.kind) {
    case 'branch-is':
      return `expression {\n    return env.BRANCH_NAME == env.${identifier(c.variable)}\n}`;
    case 'parameter-true':
      return `expression {\n    return params.${identifier(c.parameter)}\n}`;
    case 'parameter-is':
      return `expression {\n    return params.${identifier(c.parameter)} == ${str(c.value)}\n}`;
    case 'variable-is':
      return `expression {\n    return env.${identifier(c.variable)} == ${str(c.value)}\n}`;
    case 'not':
      return `not {\n${indent(condition(c.condition))}\n}`;
    case 'any-of':
      return `anyOf {\n${c.conditions.map((x) => indent(condition(x))).join('\n')}\n}`;
  }
}

function renderWhen(s: Stage): string | null {
  const conditions = s.when ?? [];
  if (conditions.length === 0) return null;
  const all =
    conditions.length === 1
      ? condition(conditions[0]!)
      : `allOf {\n${conditions.map((c) => indent(condition(c))).join('\n')}\n}`;
  // Decide before an agent is started for a stage that will not run.
  return `when {\n${s.agent ? '    beforeAgent true\n' : ''}${indent(all)}\n}`;
}

function renderStage(s: Stage, p: Pipeline): string {
  const body: string[] = [];
  if (s.agent) {
    if (s.agent !== p.environment) {
      throw new Error(`stage "${s.name}" of ${p.id} would run on ${s.agent}'s agent, not ${p.environment}'s`);
    }
    const label =
      s.agentKind === 'infra'
        ? naming.jenkinsInfraAgentLabel(s.agent)
        : s.agentKind === 'build'
          ? buildAgentLabel(s.agent)
          : s.agentKind === 'platform'
            ? platformAgentLabel(s.agent)
            : naming.jenkinsAgentLabel(s.agent);
    body.push(`agent {\n    label ${str(label)}\n}`);
  }
  if (s.branch) body.push(`when {\n    branch ${str(s.branch)}\n}`);
  const when = renderWhen(s);
  if (when) body.push(when);
  if (s.stages) body.push(`stages {\n${s.stages.map((c) => indent(renderStage(c, p))).join('\n')}\n}`);
  if (s.steps) body.push(`steps {\n${indent(renderSteps(s.steps))}\n}`);
  if (s.post && hasPost(s.post)) body.push(renderPost(s.post));
  return `stage(${str(s.name)}) {\n${body.map((b) => indent(b)).join('\n')}\n}`;
}

function hasPost(post: PostSteps): boolean {
  return Boolean(post.success?.length || post.failure?.length || post.always?.length || post.aborted?.length);
}

function renderPost(post: PostSteps): string {
  const parts: string[] = [];
  for (const condition of ['always', 'success', 'failure', 'aborted'] as const) {
    const steps = post[condition];
    if (steps && steps.length > 0) parts.push(`${condition} {\n${indent(renderSteps(steps))}\n}`);
  }
  return `post {\n${parts.map((x) => indent(x)).join('\n')}\n}`;
}

/**
 * Consecutive Groovy statements share one `script {}` block; pipeline steps stand alone. Steps
 * already inside a script (the body of an `if`) are Groovy as they are: no second block.
 */
function renderSteps(steps: readonly Step[], inScript = false): string {
  if (inScript) return steps.map((step) => renderStep(step, true)).join('\n');
  const out: string[] = [];
  let script: string[] = [];
  const flush = () => {
    if (script.length > 0) out.push(`script {\n${indent(script.join('\n'))}\n}`);
    script = [];
  };
  for (const step of steps) {
    if (SCRIPTED.has(step.kind)) {
      script.push(renderStep(step));
    } else {
      flush();
      out.push(renderStep(step));
    }
  }
  flush();
  return out.join('\n');
}

/**
 * A shell command line: literals quoted for the shell, variables as "$NAME" for it to expand (a
 * prefix is quoted and written against it, so the two stay one word).
 */
export function shellCommand(argv: readonly Arg[]): string {
  return argv
    .map((a) =>
      typeof a === 'string' ? shellWord(a) : `${a.prefix ? shellWord(a.prefix) : ''}"$${identifier(a.env)}"`,
    )
    .join(' ');
}

/** A literal or a variable (with its prefix) as a Groovy expression: concatenation, never a GString. */
function groovyValue(a: Arg): string {
  if (typeof a === 'string') return str(a);
  const variable = `env.${identifier(a.env)}`;
  return a.prefix ? `${str(a.prefix)} + ${variable}` : variable;
}

/** Message text as Groovy concatenation (never a GString). */
function text(parts: Text): string {
  return parts.map(groovyValue).join(' + ');
}

// eslint-disable-next-line max-lines-per-function -- one case per step kind, a switch the type checker holds exhaustive.
function renderStep(step: Step, inScript = false): string {
  switch (step.kind) {
    case 'require-choice': {
      const name = identifier(step.parameter);
      return [
        `if (!(params.${name} in ${list(step.choices)})) {`,
        `    error(${str(`${name} must be one of: ${step.choices.join(', ')}`)})`,
        '}',
      ].join('\n');
    }
    case 'require-pattern': {
      const name = identifier(step.parameter);
      const test = `!(params.${name} ==~ ${str(step.pattern)})`;
      return [
        `if (${step.optional ? `params.${name} && ` : ''}${test}) {`,
        `    error(${str(`${name} must be ${step.hint}`)})`,
        '}',
      ].join('\n');
    }
    case 'lookup':
      return `env.${identifier(step.variable)} = ${map(step.table)}[params.${identifier(step.parameter)}]`;
    case 'capture-actor':
      return [
        "List starters = currentBuild.getBuildCauses('hudson.model.Cause$UserIdCause')",
        `env.${identifier(step.variable)} = starters ? starters[0].userId : 'jenkins'`,
      ].join('\n');
    case 'resolve-release':
      return renderResolveRelease(step);
    case 'approval':
      return renderApproval(step);
    case 'require-different': {
      const [a, b] = step.variables.map(identifier);
      return [`if (env.${a} == env.${b}) {`, `    error(${str(step.message)})`, '}'].join('\n');
    }
    case 'milestone':
      return `milestone(${step.ordinal})`;
    case 'set':
      return `env.${identifier(step.variable)} = ${str(step.value)}`;
    case 'read-json-flag':
      return `env.${identifier(step.variable)} = readJSON(file: ${str(step.file)})[${str(step.field)}] == true ? 'true' : 'false'`;
    case 'read-json-field':
      return renderReadJsonField(step);
    case 'if-variable':
      return [
        `if (env.${identifier(step.variable)} == ${str(step.value)}) {`,
        indent(renderSteps(step.steps, true)),
        '}',
      ].join('\n');
    case 'on-agent':
      return [
        `node(${str(naming.jenkinsAgentLabel(step.environment))}) {`,
        indent(renderSteps(step.steps, true)),
        '}',
      ].join('\n');
    case 'lock':
      return [
        // inversePrecedence: the newest waiting build takes the lock, and the milestone inside
        // then aborts the older ones instead of letting them deploy after it.
        `lock(resource: env.${identifier(step.resourceVariable)}, inversePrecedence: true) {`,
        indent(renderSteps(step.steps, inScript)),
        '}',
      ].join('\n');
    case 'if-matches':
      return [
        `if (params.${identifier(step.parameter)} ==~ ${str(step.pattern)}) {`,
        indent(renderSteps(step.steps, true)),
        '}',
      ].join('\n');
    case 'checkout': {
      const git = call('git', [
        ['url', str(step.url)],
        ['branch', str(step.branch)],
        ['credentialsId', str(step.credentialsId)],
      ]);
      return step.dir ? `dir(${str(step.dir)}) {\n${indent(git)}\n}` : git;
    }
    case 'checkout-scm':
      return 'checkout(scm)';
    case 'capture':
      return `env.${identifier(step.variable)} = sh(script: ${str(shellCommand(step.argv))}, returnStdout: true).trim()`;
    case 'project-lookup':
      return renderProjectLookup(step);
    case 'with-git-credentials':
      return [
        `withCredentials([gitUsernamePassword(credentialsId: ${str(step.credentialsId)})]) {`,
        indent(renderSteps(step.steps, inScript)),
        '}',
      ].join('\n');
    case 'trigger-each':
      return [
        `for (String job in env.${identifier(step.jobsVariable)}.tokenize(',')) {`,
        indent(
          call('build', [
            ['job', 'job'],
            ['wait', 'true'],
            ['parameters', expressionList(step.parameters.map(stringParameter))],
          ]),
        ),
        '}',
      ].join('\n');
    case 'shell': {
      const command = shellCommand(step.argv) + (step.stdoutTo ? ` > ${shellWord(step.stdoutTo)}` : '');
      const sh = `sh(${str(command)})`;
      return step.dir ? `dir(${str(step.dir)}) {\n    ${sh}\n}` : sh;
    }
    case 'trigger':
      return renderTrigger(step);
    case 'archive':
      return `archiveArtifacts(artifacts: ${str(step.pattern)}, fingerprint: true)`;
    case 'stash':
      return call('stash', [
        ['name', str(step.name)],
        ['includes', str(step.includes)],
      ]);
    case 'unstash':
      return `unstash(${str(step.name)})`;
    case 'job-dsl':
      // DISABLE, not DELETE: a job removed from code keeps its history for the audit trail.
      return call('jobDsl', [
        ['targets', str(step.targets)],
        ['removedJobAction', "'DISABLE'"],
        ['removedViewAction', "'DELETE'"],
        ['lookupStrategy', "'JENKINS_ROOT'"],
      ]);
    case 'notify':
      return call('slackSend', [
        ['channel', str(step.channel)],
        ['color', str(step.color)],
        ['message', text(step.message)],
      ]);
  }
}

/** Settles the release version from `tdr status -o json` (and the digest, when an approval shows it). */
function renderResolveRelease(step: Extract<Step, { kind: 'resolve-release' }>): string {
  const version = identifier(step.versionVariable);
  const lines = [
    // `tdr status -o json` prints one row per service × environment: here exactly one, or none.
    `List rows = readJSON(text: sh(script: ${str(shellCommand(step.statusArgv))}, returnStdout: true))`,
    'Map live = rows ? rows[0] : [:]',
    `env.${version} = params.${identifier(step.requestedParameter)} ?: live.version`,
    `if (!(env.${version} ==~ ${str(step.versionPattern)})) {`,
    `    error(${str(`no release to promote: ${step.liveEnvironment} has no version live and none was given`)})`,
    '}',
  ];
  if (step.digestVariable) {
    lines.push(
      `if (env.${version} != live.version) {`,
      `    error(${str(
        `only the version live in ${step.liveEnvironment} can be promoted from it (the approval shows its digest)`,
      )})`,
      '}',
      `env.${identifier(step.digestVariable)} = live.digest`,
    );
  }
  return lines.join('\n');
}

/**
 * The parameter when given, else a field of a JSON file (pipeline-utility-steps `readJSON`),
 * checked against its pattern before anything uses it.
 */
function renderReadJsonField(step: Extract<Step, { kind: 'read-json-field' }>): string {
  const variable = identifier(step.variable);
  const read = [
    `Map read = readJSON(file: ${str(step.file)})`,
    ...(step.nonEmpty
      ? [`if (!read[${str(step.nonEmpty.field)}]) {`, `    error(${str(step.nonEmpty.message)})`, '}']
      : []),
    `env.${variable} = read[${str(step.field)}]`,
  ];
  const lines = step.parameter
    ? [
        `if (params.${identifier(step.parameter)}) {`,
        `    env.${variable} = params.${identifier(step.parameter)}`,
        '} else {',
        ...read.map((l) => `    ${l}`),
        '}',
      ]
    : read;
  return [
    ...lines,
    `if (!(env.${variable} ==~ ${str(step.pattern)})) {`,
    `    error(${str(`${variable} must be ${step.hint}`)})`,
    '}',
  ].join('\n');
}

/** Waits for a member of the group's GitHub team; the approver's id lands in the variable. */
function renderApproval(step: Extract<Step, { kind: 'approval' }>): string {
  return [
    step.timeoutMinutes === undefined
      ? `timeout(time: ${step.timeoutHours}, unit: 'HOURS') {`
      : `timeout(time: ${step.timeoutMinutes}, unit: 'MINUTES') {`,
    `    env.${identifier(step.approverVariable)} = input(`,
    `        message: ${text(step.message)},`,
    `        ok: ${str(step.ok)},`,
    `        submitter: ${str(naming.githubTeam(step.group))},`,
    `        submitterParameter: ${str(step.approverVariable)}`,
    '    )',
    '}',
  ].join('\n');
}

/** A string parameter passed to a started job: a literal, or a variable read at run time. */
function stringParameter(x: { readonly name: string; readonly value: Arg }): string {
  return `string(name: ${str(identifier(x.name))}, value: ${groovyValue(x.value)})`;
}

/**
 * Sets each variable from the row of the multibranch project this build belongs to: a branch
 * job's full name is its project's, then `/`, then the branch (URL-encoded, so without `/`).
 */
function renderProjectLookup(step: Extract<Step, { kind: 'project-lookup' }>): string {
  const rows = Object.entries(step.table);
  const variables = Object.keys(rows[0]?.[1] ?? {});
  for (const [project, row] of rows) {
    if (Object.keys(row).join() !== variables.join())
      throw new Error(`project ${project} sets ${Object.keys(row).join(', ')}, not ${variables.join(', ')}`);
  }
  return [
    'Map project = [',
    ...rows.map(([project, row]) => `    ${str(project)}: ${map(row).replace(/\n/g, '\n    ')},`),
    "][env.JOB_NAME.substring(0, env.JOB_NAME.lastIndexOf('/'))]",
    'if (!project) {',
    `    error(${str(`this pipeline builds only ${rows.map(([p]) => p).join(', ')}`)})`,
    '}',
    ...variables.map((v) => `env.${identifier(v)} = project.${identifier(v)}`),
  ].join('\n');
}

function renderTrigger(step: Extract<Step, { kind: 'trigger' }>): string {
  const params = step.parameters.map(stringParameter);
  return call('build', [
    ['job', str(step.job)],
    ['wait', String(step.wait)],
    ...(params.length > 0 ? [['parameters', expressionList(params)] as const] : []),
  ]);
}
