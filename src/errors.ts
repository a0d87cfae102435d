/**
 * Errors the user sees. Each says what happened and what to do, sets `name` and carries its data.
 * They are raised before anything runs; the executor entry prints them and fails the run.
 */

export class NxParallelError extends Error {
  override name = 'NxParallelError';
}

export class InvalidOptionError extends NxParallelError {
  override name = 'InvalidOptionError';
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly accepted: string,
  ) {
    super(`Invalid value ${JSON.stringify(value)} for option '${option}'. Accepted: ${accepted}.`);
  }
}

function didYouMean(nearest: readonly string[]): string {
  return nearest.length ? ` Did you mean ${nearest.map((n) => `'${n}'`).join(', ')}?` : '';
}

export class UnknownProjectError extends NxParallelError {
  override name = 'UnknownProjectError';
  constructor(
    readonly pattern: string,
    readonly option: string,
    readonly nearest: readonly string[],
  ) {
    super(
      `No project matches '${pattern}' (option '${option}').${didYouMean(nearest)} ` +
        `Run 'nx show projects' to list the projects of this workspace.`,
    );
  }
}

export class UnknownTargetError extends NxParallelError {
  override name = 'UnknownTargetError';
  constructor(
    readonly target: string,
    readonly nearest: readonly string[],
  ) {
    super(`No project in this workspace has a target named '${target}'.${didYouMean(nearest)}`);
  }
}

export class SelfSelectionError extends NxParallelError {
  override name = 'SelfSelectionError';
  constructor(readonly taskIds: readonly string[]) {
    super(
      `The selection includes ${taskIds.join(', ')}, which runs nx-parallel itself. ` +
        `Leave the nx-parallel target out of 'targets', or leave its project out with 'excludeProjects'.`,
    );
  }
}

export class ContinuousTaskError extends NxParallelError {
  override name = 'ContinuousTaskError';
  constructor(readonly taskIds: readonly string[]) {
    super(
      `The selection includes continuous tasks, which never finish: ${taskIds.join(', ')}. ` +
        `nx-parallel runs tasks that end; run continuous tasks (servers, watchers) with 'nx run' instead.`,
    );
  }
}

export class CycleError extends NxParallelError {
  override name = 'CycleError';
  constructor(readonly cycle: readonly string[]) {
    super(
      `The task graph has a circular dependency: ${cycle.join(' --> ')}. ` +
        `Remove one of these dependencies (dependsOn or the project dependencies) to break it.`,
    );
  }
}
