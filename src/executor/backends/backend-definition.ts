/**
 * What every backend declares in one place: what it can do, the options only it reads, and how its
 * pool is made. The registry holds one definition per backend; nothing else switches on a backend.
 */
import type { PoolOptions, WorkerPool } from '../../pool/worker-pool';
import type { Notify } from '../../report/notices';
import type { NormalizedOptions } from '../normalize-options';
import type { ParallelExecutorOptions } from '../options.generated';

/** The values of `parallelBackend`, as schema.json lists them. */
export type Backend = NonNullable<ParallelExecutorOptions['parallelBackend']>;

export interface BackendCapabilities {
  /** A running task can be killed, so `taskTimeout` applies. */
  canKill: boolean;
  /** Its workers are agents on other machines; they need nothing of this machine's but Redis. */
  remoteWorkers: boolean;
  /** At most this many tasks at once, whatever `nWorkers` says; undefined: `nWorkers`. */
  maxWorkers?: number;
}

/** What a backend's own option checks add to the normalised options. */
export type BackendSettings = Pick<NormalizedOptions, 'distributed'>;

/** What a pool gets besides the pool options. */
export interface BackendRun {
  options: NormalizedOptions;
  /** Tells the user something (the `distributed` backend: waiting for agents, one joined or left). */
  notify: Notify;
}

export interface BackendDefinition {
  readonly capabilities: BackendCapabilities;
  /** Checks the options only this backend reads; throws an NxParallelError for bad ones. */
  checkOptions(options: ParallelExecutorOptions, env: NodeJS.ProcessEnv): BackendSettings;
  /** Makes the pool; its workers start at once. `run` is undefined for a pool made outside a run. */
  createPool(options: PoolOptions, run: BackendRun | undefined): WorkerPool;
  /** The settings as the summary file shows them, without passwords or secrets; default: as they are. */
  redactSettings?(settings: BackendSettings): BackendSettings;
}

/** The settings of a backend that reads no options of its own. */
export const NO_SETTINGS: BackendSettings = { distributed: undefined };
