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

export class UnsupportedNxError extends NxParallelError {
  override name = 'UnsupportedNxError';
  constructor(
    readonly version: string,
    readonly supported: string,
  ) {
    super(
      `nx-parallel supports nx ${supported}; this workspace has nx ${version}. ` +
        `Use it with a supported nx: \`nx migrate <version>\` moves a workspace to another Nx version.`,
    );
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
  constructor(
    /** The continuous tasks in the graph. */
    readonly taskIds: readonly string[],
    /** The tasks that depend on continuous ones, with those they depend on. */
    readonly dependents: ReadonlyArray<{ taskId: string; continuous: readonly string[] }> = [],
  ) {
    const why = dependents.length
      ? dependents.map((d) => `${d.taskId} depends on the continuous task ${d.continuous.join(', ')}`).join('; ')
      : `the selection includes the continuous task ${taskIds.join(', ')}`;
    const fix = dependents.length
      ? `Remove that dependency from ${dependents.map((d) => d.taskId).join(', ')} (dependsOn), or leave ${dependents.length === 1 ? 'it' : 'them'} out of the selection`
      : 'Leave it out of the selection';
    super(
      `Continuous tasks never finish, and nx-parallel runs tasks that end: ${why}. ` +
        `${fix}; run continuous tasks (servers, watchers) with 'nx run' instead.`,
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

export class RedisUnreachableError extends NxParallelError {
  override name = 'RedisUnreachableError';
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(
      `Cannot use Redis at ${url} (${reason}). Check that Redis runs there and that the URL's ` +
        `password is right, or point redisUrl (a worker's --redis, or the env variable NX_PARALLEL_REDIS_URL) at a running one.`,
    );
  }
}

export class InvalidOutputError extends NxParallelError {
  override name = 'InvalidOutputError';
  constructor(
    readonly output: string,
    readonly taskId: string | undefined,
  ) {
    super(
      `${taskId ? `Task ${taskId}` : 'A task'} declares the output '${output}', which is not a path inside the workspace ` +
        `(it is absolute, leaves the workspace with '..', or is the workspace root itself). ` +
        `The distributed backend moves outputs between machines by their path below the workspace root: ` +
        `change the target's 'outputs' to folders or files inside the workspace.`,
    );
  }
}

const ARCHIVE_ADVICE =
  'The archive was damaged, or not made by nx-parallel: run the task again, and check the machine that ran it if this repeats.';

/** An archive of task outputs failed a check before extraction; nothing was written. */
export class ArchiveRefusedError extends NxParallelError {
  override name = 'ArchiveRefusedError';
  constructor(
    readonly taskId: string | undefined,
    /** The offending entry's path as the archive gives it, when one entry is at fault. */
    readonly entry: string | undefined,
    readonly rule: string,
    readonly advice: string = ARCHIVE_ADVICE,
  ) {
    super(
      `Refused the outputs archive of ${taskId ?? 'a task'}: ` +
        `${entry === undefined ? '' : `entry ${JSON.stringify(entry)} `}${rule}. ` +
        `Nothing was written to the workspace. ${advice}`,
    );
  }
}

/** An artifact store could not keep or give back an archive of task outputs. */
export class ArtifactError extends NxParallelError {
  override name = 'ArtifactError';
  constructor(
    message: string,
    /** The store (`redis`, `s3://bucket/prefix`). */
    readonly location: string,
    readonly key?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class AffectedError extends NxParallelError {
  override name = 'AffectedError';
  constructor(
    readonly base: string | undefined,
    readonly head: string | undefined,
    readonly reason: string,
  ) {
    super(
      `Could not find the projects affected between ${base ?? 'the default base'} and ${head ?? 'the working tree'}: ${reason} ` +
        `Check that both refs exist in this clone (in CI, fetch the history: actions/checkout with fetch-depth: 0), ` +
        `or set them with --base and --head (or NX_BASE and NX_HEAD).`,
    );
  }
}

export class RunManyFlagError extends NxParallelError {
  override name = 'RunManyFlagError';
  constructor(
    /** The flag as it was typed, e.g. `-t`. */
    readonly flag: string,
    /** What to give nx-parallel instead, e.g. `--targets=<names>`; undefined: nothing does it. */
    readonly replacement: string | undefined,
    readonly note: string,
  ) {
    super(
      `'nx run' takes '${flag}' for itself: nx-parallel never sees it, so the run would not do what it asks (${note}). ` +
        (replacement ? `Use '${replacement}' instead.` : `Leave it out: nx-parallel has no such option.`) +
        ` The flags Nx takes are listed in the README ("Flags nx run keeps for itself").`,
    );
  }
}

export class RunConflictError extends NxParallelError {
  override name = 'RunConflictError';
  constructor(
    readonly owner: string,
    readonly pid: number,
    readonly taskIds: readonly string[],
  ) {
    const shown = taskIds.slice(0, 3).join(', ') + (taskIds.length > 3 ? ` and ${taskIds.length - 3} more` : '');
    super(
      `Another nx-parallel run (${owner}, pid ${pid}) is building ${shown} in this workspace right now. ` +
        `Wait for it to end and run again, or leave out waitForOtherRuns: false to wait for it.`,
    );
  }
}

/** The coordinator's workspace fingerprint has parts that cannot be known: no agent could be trusted with the run. */
export class UnknownFingerprintError extends NxParallelError {
  override name = 'UnknownFingerprintError';
  constructor(
    /** The parts that cannot be known, each with why (`commit: unknown (not a git checkout...)`). */
    readonly parts: readonly string[],
    advice: string,
  ) {
    super(`The distributed backend cannot run here: ${advice}`);
  }
}

/** The distributed backend was chosen without the packages only it needs (optional peer dependencies). */
export class MissingPackagesError extends NxParallelError {
  override name = 'MissingPackagesError';
  constructor(
    /** Each as `name@range`, the range nx-parallel asks for. */
    readonly packages: readonly string[],
  ) {
    const names = packages.map((spec) => spec.replace(/(.)@.*$/, '$1'));
    super(
      `The distributed backend needs ${names.join(', ')}, which ${names.length === 1 ? 'is' : 'are'} not installed ` +
        `(a local install of nx-parallel goes without them). Run: npm install --save-dev ${packages.join(' ')}`,
    );
  }
}
