/**
 * Flags of `nx run-many` that `nx run` keeps for itself, so nx-parallel never sees them: found in
 * the nx invocation and refused with the option that does what they ask. Under `nx run-many` or
 * `nx affected` they are meant for Nx and left alone.
 */
import { RunManyFlagError } from '../errors';

interface KeptFlag {
  replacement: string | undefined;
  note: string;
}

/** Keyed by the camel-case name, as yargs reads it; `t`, `p` are the short forms. */
export const KEPT_FLAGS: Readonly<Record<string, KeptFlag>> = {
  target: { replacement: '--targets=<names>', note: 'it would run the targets option, build by default' },
  t: { replacement: '--targets=<names>', note: 'it would run the targets option, build by default' },
  parallel: { replacement: '--nWorkers=<n> (-n)', note: 'the number of workers is nWorkers' },
  maxParallel: { replacement: '--nWorkers=<n> (-n)', note: 'the number of workers is nWorkers' },
  exclude: { replacement: '--excludeProjects=<names>', note: 'no project would be left out' },
  excludeTaskDependencies: {
    replacement: '--onlySelected',
    note: 'the tasks dependsOn pulls in would run',
  },
  nxBail: { replacement: '--bail', note: 'it would go on after a failure' },
  project: { replacement: '--projects=<names>', note: 'the owning project would be selected' },
  p: { replacement: '--projects=<names>', note: 'the owning project would be selected' },
  all: { replacement: "--projects='*'", note: 'the owning project would be selected' },
  outputStyle: {
    replacement: '--taskOutput=grouped|stream|errors-only',
    note: 'it sets how Nx prints the parallel task, not the inner tasks',
  },
  nxIgnoreCycles: { replacement: undefined, note: 'a cycle in the task graph is always refused' },
  batch: { replacement: undefined, note: 'nx-parallel runs every task on its warm workers' },
};

const camelCase = (name: string): string => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

interface GivenFlag {
  /** As typed, e.g. `--nx-bail`. */
  typed: string;
  /** Camel case, e.g. `nxBail`. */
  name: string;
  value: string | undefined;
}

function flagsOf(args: readonly string[]): GivenFlag[] {
  const flags: GivenFlag[] = [];
  for (const [index, arg] of args.entries()) {
    if (arg === '--') break;
    const match = /^--?([^=]+)(=(.*))?$/s.exec(arg);
    if (!match?.[1]) continue;
    const next = args[index + 1];
    const value = match[2] !== undefined ? match[3] : next?.startsWith('-') ? undefined : next;
    flags.push({ typed: arg.split('=')[0] ?? arg, name: camelCase(match[1].replace(/^no-/, '')), value });
  }
  return flags;
}

/** `nx run --project=app --target=parallel` names this task: those two are not run-many flags there. */
function namesThisTask(flag: GivenFlag, task: RunningTask): boolean {
  if (flag.name === 'target' || flag.name === 't') return flag.value === task.target;
  if (flag.name === 'project' || flag.name === 'p') return flag.value === task.project;
  return false;
}

export interface RunningTask {
  project: string | undefined;
  target: string | undefined;
}

/** Whether the invocation runs this one target: `nx run <project>:<target>` or `nx <target> <project>`. */
function runsThisTarget(args: readonly string[], targetName: string | undefined): boolean {
  const command = args.find((arg) => !arg.startsWith('-'));
  return command === 'run' || (targetName !== undefined && command === targetName);
}

/** Throws RunManyFlagError for the first kept flag of an `nx run` of this task. */
export function refuseKeptFlags(args: readonly string[] | undefined, task: RunningTask): void {
  if (!args || !runsThisTarget(args, task.target)) return;
  for (const flag of flagsOf(args)) {
    const kept = KEPT_FLAGS[flag.name];
    if (kept && !namesThisTask(flag, task)) throw new RunManyFlagError(flag.typed, kept.replacement, kept.note);
  }
}
