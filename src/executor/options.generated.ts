/* Generated from schema.json by `npm run codegen`. Do not edit by hand. */

/**
 * Runs a graph of Nx tasks in a pool of warm workers.
 */
export interface ParallelExecutorOptions {
  /**
   * Target names to run, e.g. `--targets=build,test`.
   *
   * @minItems 1
   */
  targets?: [string, ...string[]];
  /**
   * Projects to run the targets of: names, globs (`lib-*`), tags (`tag:api`), `"*"` for every project. Default: the project that owns this target.
   *
   * @minItems 1
   */
  projects?: [string, ...string[]];
  /**
   * Projects to leave out of the selection: names, globs or tags (`tag:x`).
   */
  excludeProjects?: string[];
  /**
   * Configuration for the tasks whose targets have it. Default: this target's own configuration (`-c`). Nx keeps `--configuration` for itself, so set this in the target's options.
   */
  configuration?: string;
  /**
   * Run only the selected tasks, not the tasks their `dependsOn` pulls in (as Nx's `--excludeTaskDependencies`).
   */
  onlySelected?: boolean;
  /**
   * Run only the projects affected by the change between `base` and `head`, as `nx show projects --affected` lists them (Nx's own affected logic). Without `projects`: every affected project; with `projects` or `excludeProjects`: the affected ones among them. The tasks their targets depend on run as usual.
   */
  affected?: boolean;
  /**
   * `affected`: the base of the change, a git ref. Default as `nx affected`: the env variable `NX_BASE`, else nx.json `defaultBase` (else `main`); its merge base with `head` is used.
   */
  base?: string;
  /**
   * `affected`: the head of the change, a git ref. Default as `nx affected`: the env variable `NX_HEAD`, else the working tree (uncommitted and untracked files count).
   */
  head?: string;
  /**
   * How many workers run tasks at once: an integer >= 1, `"auto"` (the available CPUs minus one, at least 1) or `"N%"` of the available CPUs (at least 1). Alias `-n`.
   */
  nWorkers?: number | string;
  /**
   * Where tasks run: `processes` (child processes through worker-farm), `threads` (Node worker threads), `inline` (one at a time in the main process, for debuggers) or `distributed` (workers on other machines, through BullMQ queues on Redis; see docs/distributed.md).
   */
  parallelBackend?: 'processes' | 'threads' | 'inline' | 'distributed';
  /**
   * The Redis of the `distributed` backend, e.g. `redis://:password@host:6379` (`rediss://` for TLS). Default: the env variable `NX_PARALLEL_REDIS_URL`.
   */
  redisUrl?: string;
  /**
   * A shared secret of at least 16 characters for the `distributed` backend: the coordinator signs its announcement and jobs with it, agents (given the same secret in `NX_PARALLEL_SECRET`) sign their results, and each side refuses what is unsigned or wrongly signed. Better set through the env variable than in project.json. Default: the env variable `NX_PARALLEL_SECRET`; without one nothing is signed.
   */
  distributedSecret?: string;
  /**
   * A PEM file with the certificate authority that signed the Redis server's TLS certificate, for `rediss://` with a private CA (relative to the workspace root). Default: the env variable `NX_PARALLEL_REDIS_CA_FILE`.
   */
  redisTlsCaFile?: string;
  /**
   * Where the `distributed` backend keeps task outputs while they travel between machines: `redis` (in the same Redis, up to 64 MiB per task, expiring after a day) or `s3://bucket/prefix` (region, credentials and endpoint from the usual AWS variables).
   */
  artifactStore?: string;
  /**
   * `distributed`: how many seconds a worker's hold on a task lasts without renewal, that is, how soon the task of a worker that died moves to another worker.
   */
  workerLockSeconds?: number;
  /**
   * `distributed`: how many seconds the run waits for a first worker (and for a new one when all are gone) before it gives up.
   */
  waitForWorkersSeconds?: number;
  /**
   * How task output is printed: `grouped` (each task's output as one block when it finishes), `stream` (lines as they come, prefixed with the task id) or `errors-only` (only the blocks of failed tasks).
   */
  taskOutput?: 'grouped' | 'stream' | 'errors-only';
  /**
   * After this many failed tasks, start no new task; tasks already running finish. Default: no limit.
   */
  maxFailures?: number;
  /**
   * Stop starting tasks after the first failure (the same as `maxFailures: 1`).
   */
  bail?: boolean;
  /**
   * Seconds a task may run. A task running longer is killed, with every process it started, and fails with reason `timed-out`; its worker is replaced. `0` means no limit.
   */
  taskTimeout?: number;
  /**
   * How many times to re-run a task whose worker died under it (a crash, not a failure: a task that fails is never retried).
   */
  retries?: number;
  /**
   * Replace a worker after it ran this many tasks; `1` gives every task a fresh process. Default: no limit.
   */
  maxTasksPerWorker?: number;
  /**
   * Replace a worker between tasks once its memory passes this, as jest's `workerIdleMemoryLimit`: megabytes (`1536`), `"2GB"`, `"512MB"`, or `"N%"` of this machine's memory. For a process its resident memory counts, for a thread its heap. Default `auto`: the machine's memory divided by twice the number of workers, at least 512 MB.
   */
  workerMemoryLimit?: number | string;
  /**
   * How ready tasks are ranked: `critical-path` (the longest remaining path to the end of the graph, weighted by the durations recorded in earlier runs) or `fifo` (graph order).
   */
  schedule?: 'critical-path' | 'fifo';
  /**
   * Print the plan (the order tasks would be dispatched in, their levels and estimated durations, the critical path) and run nothing.
   */
  dryRun?: boolean;
  /**
   * Write a JSON summary of the run (each task's status, reason, times, worker, attempts, dependencies; see docs/summary.md) to this path, relative to the workspace root. With `dryRun`: the plan instead (each task's hash, cache status, rank, level, estimate, dependencies; schema plan.schema.json).
   */
  summaryFile?: string;
  /**
   * Write the run as a Chrome trace (one track per worker, one slice per task) to this path, relative to the workspace root; open it in Perfetto (ui.perfetto.dev) or chrome://tracing.
   */
  profileFile?: string;
  /**
   * Write the inner task graph to this path, relative to the workspace root, with the critical path marked: DOT (`.dot`, `.gv`), Mermaid (`.mmd`, `.mermaid`) or JSON (`.json`), by the file's extension. Also with `dryRun`.
   */
  graphFile?: string;
  /**
   * Neither read nor write Nx's cache for the tasks of this run (as `--skip-nx-cache` does, which also works).
   */
  skipCache?: boolean;
  /**
   * When another nx-parallel run in this workspace (the same Nx invocation, as `nx run-many -t parallel`, or another) is building some of this run's tasks, wait for it to end, saying for whom; `false`: refuse at once. Never are two builds of one task run at once.
   */
  waitForOtherRuns?: boolean;
}
