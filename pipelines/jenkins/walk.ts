/** Walks over a pipeline's stages and steps, nested ones included (tests, `tdr jobs list`). */
import type { Pipeline, Stage, Step } from './model';

/** Every step of a pipeline, nested ones (locks, sub-stages, post) included. */
export function allSteps(p: Pipeline): Step[] {
  const fromSteps = (steps: readonly Step[]): Step[] =>
    steps.flatMap((s) =>
      s.kind === 'lock' ||
      s.kind === 'with-git-credentials' ||
      s.kind === 'if-matches' ||
      s.kind === 'if-variable' ||
      s.kind === 'on-agent'
        ? [s, ...fromSteps(s.steps)]
        : [s],
    );
  const fromPost = (post: Pipeline['post'] | undefined): Step[] =>
    fromSteps([
      ...(post?.success ?? []),
      ...(post?.failure ?? []),
      ...(post?.always ?? []),
      ...(post?.aborted ?? []),
    ]);
  const fromStages = (stages: readonly Stage[]): Step[] =>
    stages.flatMap((st) => [
      ...fromSteps(st.steps ?? []),
      ...fromStages(st.stages ?? []),
      ...fromPost(st.post),
    ]);
  return [...fromStages(p.stages), ...fromPost(p.post)];
}

/** Every stage of a pipeline, nested ones included. */
export function allStages(p: Pipeline): Stage[] {
  const walk = (stages: readonly Stage[]): Stage[] => stages.flatMap((s) => [s, ...walk(s.stages ?? [])]);
  return walk(p.stages);
}
