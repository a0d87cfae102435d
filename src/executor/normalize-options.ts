/**
 * Option normalisation: defaults from DESIGN.md, and a refusal that names the option and the
 * accepted values for anything invalid, before anything runs. Nx validates against schema.json
 * first; this also covers programmatic calls and what a JSON schema cannot say.
 */
import { availableParallelism, totalmem } from 'node:os';
import { InvalidOptionError } from '../errors';
import { resolveMemoryLimit } from '../pool/memory-limit';
import type { TaskOutputStyle } from '../report/create-reporters';
import { GRAPH_EXTENSIONS, graphFormatOf } from '../report/graph-file';
import type { Schedule } from '../scheduler/rank-tasks';
import type { Backend } from './backends/backend-definition';
import type { DistributedSettings } from './backends/distributed-options';
import { BACKEND_NAMES, BACKENDS } from './backends/registry';
import type { ParallelExecutorOptions } from './options.generated';

/** The git refs of an affected run; undefined: as `nx affected` defaults them. */
export interface AffectedRange {
  base: string | undefined;
  head: string | undefined;
}

export interface NormalizedOptions {
  targets: string[];
  projects: string[];
  excludeProjects: string[];
  configuration: string | undefined;
  onlySelected: boolean;
  /** Set with `affected`: the change whose projects the run is limited to. */
  affected: AffectedRange | undefined;
  nWorkers: number;
  parallelBackend: Backend;
  taskOutput: TaskOutputStyle;
  /** Start nothing new after this many failures; undefined: no limit. */
  maxFailures: number | undefined;
  /** Milliseconds; 0: no limit. */
  taskTimeoutMs: number;
  retries: number;
  maxTasksPerWorker: number | undefined;
  /** Bytes of memory past which a worker is replaced between tasks. */
  workerMemoryLimitBytes: number;
  schedule: Schedule;
  dryRun: boolean;
  summaryFile: string | undefined;
  profileFile: string | undefined;
  /** The task graph file; its extension says the format. */
  graphFile: string | undefined;
  skipCache: boolean;
  /** Wait for another run that holds some of the tasks; false: refuse. */
  waitForOtherRuns: boolean;
  /** Set when `parallelBackend` is `distributed`. */
  distributed: DistributedSettings | undefined;
}

export interface OptionDefaults {
  /** The project that owns the `parallel` target. */
  project: string | undefined;
  /** The `parallel` target's own configuration. */
  configuration: string | undefined;
  cpus?: number;
  /** This machine's memory in bytes; default os.totalmem(). */
  totalMemory?: number;
  /** Where `NX_PARALLEL_REDIS_URL` and `NX_PARALLEL_REDIS_CA_FILE` are read; default process.env. */
  env?: NodeJS.ProcessEnv;
}

const SCHEDULES: readonly Schedule[] = ['critical-path', 'fifo'];
const OUTPUT_STYLES: readonly TaskOutputStyle[] = ['grouped', 'stream', 'errors-only'];

function oneOf<T extends string>(option: string, value: unknown, accepted: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (accepted as readonly string[]).includes(value)) return value as T;
  throw new InvalidOptionError(option, value, accepted.map((a) => `'${a}'`).join(', '));
}

/** A list option: an array of non-empty strings, or one comma-separated string. */
function names(option: string, value: unknown, fallback: string[], required = true): string[] {
  if (value === undefined) return fallback;
  const list = typeof value === 'string' ? value.split(',') : value;
  const empty = Array.isArray(list) && list.length === 0 && required;
  if (empty || !Array.isArray(list) || !list.every((item) => typeof item === 'string' && item.trim() !== '')) {
    throw new InvalidOptionError(option, value, 'a list of non-empty names, e.g. ["build", "test"]');
  }
  return (list as string[]).map((item) => item.trim());
}

function integer(option: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
  throw new InvalidOptionError(option, value, `an integer >= ${min}`);
}

function path(option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new InvalidOptionError(option, value, 'a file path, relative to the workspace root');
}

function graphFile(value: unknown): string | undefined {
  const file = path('graphFile', value);
  if (file === undefined || graphFormatOf(file)) return file;
  throw new InvalidOptionError('graphFile', value, `a file path ending in ${GRAPH_EXTENSIONS.join(', ')}`);
}

function seconds(option: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value * 1000);
  throw new InvalidOptionError(option, value, 'a number of seconds >= 0 (0: no limit)');
}

function ref(option: 'base' | 'head', value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  throw new InvalidOptionError(option, value, 'a git ref, e.g. origin/main or a commit sha');
}

function normalizeAffected(options: ParallelExecutorOptions): AffectedRange | undefined {
  const base = ref('base', options.base);
  const head = ref('head', options.head);
  if (!options.affected) {
    if (base !== undefined || head !== undefined) {
      const option = base !== undefined ? 'base' : 'head';
      throw new InvalidOptionError(
        option,
        options[option],
        `a value only with --affected (add --affected, or leave out --${option})`,
      );
    }
    return undefined;
  }
  return { base, head };
}

function refuseTimeout(backend: Backend, value: unknown): never {
  const local = BACKEND_NAMES.filter(
    (name) => BACKENDS[name].capabilities.canKill && !BACKENDS[name].capabilities.remoteWorkers,
  );
  throw new InvalidOptionError(
    'taskTimeout',
    value,
    `0 with parallelBackend '${backend}' (it cannot kill a running task); use ${local.map((name) => `'${name}'`).join(' or ')} for a timeout`,
  );
}

export function resolveWorkerCount(value: unknown, cpus: number): number {
  const accepted = `an integer >= 1, "auto" (${Math.max(1, cpus - 1)} here) or "N%" of the ${cpus} CPUs`;
  if (value === undefined || value === 'auto') return Math.max(1, cpus - 1);
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 1) return value;
    throw new InvalidOptionError('nWorkers', value, accepted);
  }
  if (typeof value === 'string') {
    const percent = /^([1-9][0-9]*)%$/.exec(value);
    if (percent) return Math.max(1, Math.floor((cpus * Number(percent[1])) / 100));
    if (/^[1-9][0-9]*$/.test(value)) return Number(value);
  }
  throw new InvalidOptionError('nWorkers', value, accepted);
}

export function normalizeOptions(options: ParallelExecutorOptions, defaults: OptionDefaults): NormalizedOptions {
  for (const option of ['onlySelected', 'affected', 'bail', 'dryRun', 'skipCache', 'waitForOtherRuns'] as const) {
    if (options[option] !== undefined && typeof options[option] !== 'boolean') {
      throw new InvalidOptionError(option, options[option], 'true or false');
    }
  }
  if (options.configuration !== undefined && (typeof options.configuration !== 'string' || !options.configuration)) {
    throw new InvalidOptionError('configuration', options.configuration, 'a configuration name');
  }
  const maxFailures = integer('maxFailures', options.maxFailures, 1);
  const affected = normalizeAffected(options);
  const parallelBackend = oneOf('parallelBackend', options.parallelBackend, BACKEND_NAMES, 'processes');
  const backend = BACKENDS[parallelBackend];
  const nWorkers = resolveWorkerCount(options.nWorkers, defaults.cpus ?? availableParallelism());
  const taskTimeoutMs = seconds('taskTimeout', options.taskTimeout);
  if (taskTimeoutMs && !backend.capabilities.canKill) refuseTimeout(parallelBackend, options.taskTimeout);
  return {
    targets: names('targets', options.targets, ['build']),
    // An affected run selects every affected project, as `nx affected` does.
    projects: names('projects', options.projects, defaults.project && !affected ? [defaults.project] : ['*']),
    excludeProjects: names('excludeProjects', options.excludeProjects, [], false),
    configuration: options.configuration ?? defaults.configuration,
    onlySelected: options.onlySelected ?? false,
    affected,
    nWorkers: Math.min(nWorkers, backend.capabilities.maxWorkers ?? nWorkers),
    parallelBackend,
    taskOutput: oneOf('taskOutput', options.taskOutput, OUTPUT_STYLES, 'grouped'),
    maxFailures: options.bail ? 1 : maxFailures,
    taskTimeoutMs,
    retries: integer('retries', options.retries, 0) ?? 0,
    maxTasksPerWorker: integer('maxTasksPerWorker', options.maxTasksPerWorker, 1),
    workerMemoryLimitBytes: resolveMemoryLimit(options.workerMemoryLimit, defaults.totalMemory ?? totalmem(), nWorkers),
    schedule: oneOf('schedule', options.schedule, SCHEDULES, 'critical-path'),
    dryRun: options.dryRun ?? false,
    summaryFile: path('summaryFile', options.summaryFile),
    profileFile: path('profileFile', options.profileFile),
    graphFile: graphFile(options.graphFile),
    skipCache: options.skipCache ?? false,
    waitForOtherRuns: options.waitForOtherRuns ?? true,
    ...backend.checkOptions(options, defaults.env ?? process.env),
  };
}
