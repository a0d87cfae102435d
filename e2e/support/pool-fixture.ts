/**
 * A tiny on-disk Nx workspace with one fake executor whose behaviour is driven by its options, the
 * `WorkerInit` a pool needs to run its tasks, and a harness that creates the BUILT pools (from
 * `dist/`, so real child processes and worker threads run) and tracks every one for closing.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ProjectGraph, ProjectsConfigurations, TargetConfiguration, TaskGraph } from '@nx/devkit';
import type { createWorkerPool as CreateWorkerPool } from '../../src/executor/create-worker-pool';
import type { Backend } from '../../src/executor/backends/backend-definition';
import type { PoolOptions, PoolRunResult, WorkerPool } from '../../src/pool/worker-pool';
import type { WorkerInit } from '../../src/worker/protocol';

const BUILT_FACTORY = resolve(__dirname, '../../dist/executor/create-worker-pool.js');

/** What the fake executor does, in this order. */
export interface FakeOptions {
  /** Prefix of every line it prints; defaults to the task id. */
  tag?: string;
  /** Writes `{pid, threadId, project, target, probe, cwd}` there as it starts. */
  record?: string;
  /** Name of an environment variable whose value goes into the record as `probe`. */
  probeEnv?: string;
  /** Lines `<tag> out <i>` on stdout. */
  lines?: number;
  /** Lines `<tag> err <i>` on stderr. */
  stderrLines?: number;
  /** Creates `create`, waits (bounded) for `waitFor`, then prints `afterLines` more lines. */
  rendezvous?: { create: string; waitFor: string; afterLines: number };
  /** `execSync('echo from-child <tag>', {stdio: 'inherit'})`. */
  childEcho?: boolean;
  /** A spawned `node -e` with inherited stdout printing `from-node-child <tag>`. */
  childNode?: boolean;
  /** A `node -e` with piped stdout, relayed through `process.stdout` (as nx:run-commands does). */
  childPiped?: boolean;
  /** Starts `sleep 300` processes and writes their pids to a file. */
  sleepers?: Sleepers;
  setEnv?: Record<string, string>;
  chdir?: string;
  /**
   * Leaves process state behind: an exit code of 1, an extra argv entry, a umask of 077 (not in a
   * thread, where it cannot be set) and, with `listeners`, listeners on process and a replaced
   * console.log.
   */
  leave?: { listeners: boolean };
  /** Runs as an async generator that yields nothing and returns its result, as @nx/rollup:rollup does. */
  returnOnly?: boolean;
  /**
   * `hang`: never settles. `throw-outside`: throws from a timer, outside the executor's promise,
   * then hangs. `reject-outside`: leaves a rejected promise nobody awaits, then hangs.
   * `out-of-memory`: keeps allocating until the heap is full.
   */
  end?: 'succeed' | 'fail' | 'throw' | 'exit' | 'hang' | 'throw-outside' | 'reject-outside' | 'out-of-memory';
  /** The message of the error thrown when `end` is `throw`, `throw-outside` or `reject-outside`. */
  message?: string;
}

export interface Sleepers {
  /** Gets the pids, one a line, once every process started (written whole: a reader never sees half). */
  pidFile: string;
  /**
   * How each is started: `spawn('sleep', ['300'])`, the same with `detached: true` (a session of
   * its own, as `nx:run-commands` starts its commands), or `exec('exec sleep 300')` through a shell.
   */
  kinds: readonly ('attached' | 'detached' | 'exec')[];
  /** Waits for them to exit (so the task hangs with them); otherwise leaves them running. */
  await: boolean;
}

export interface TaskRecording {
  pid: number;
  threadId: number;
  project: string | null;
  target: string | null;
  probe: string | null;
  cwd: string;
  /** Process state as the task found it. */
  state: {
    exitCode: number | null;
    argv: number;
    umask: number | null;
    listeners: Record<string, number>;
    consoleReplaced: boolean;
  };
}

export interface TaskSpec {
  project: string;
  target: string;
  options: FakeOptions;
}

const FAKE_EXECUTOR = String.raw`
const fs = require('fs');
const cp = require('child_process');
const { threadId, isMainThread } = require('worker_threads');
const LEFT_EVENTS = ['uncaughtException', 'unhandledRejection', 'exit', 'SIGTERM'];

function leaveState({ listeners }) {
  process.exitCode = 1;
  process.argv.push('--left-behind');
  if (isMainThread) process.umask(0o077);
  if (!listeners) return;
  for (const name of LEFT_EVENTS) process.on(name, () => {});
  const log = console.log;
  console.log = Object.assign((...args) => log(...args), { leftBehind: true });
}

async function waitForFile(file, ms) {
  const deadline = Date.now() + ms;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + file);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function startSleepers(sleepers) {
  const children = sleepers.kinds.map((kind) => {
    if (kind === 'exec') return cp.exec('exec sleep 300');
    return cp.spawn('sleep', ['300'], { stdio: 'ignore', detached: kind === 'detached' });
  });
  fs.writeFileSync(sleepers.pidFile + '.part', children.map((child) => child.pid).join('\n'));
  fs.renameSync(sleepers.pidFile + '.part', sleepers.pidFile);
  return Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
}

const forever = () => new Promise(() => setInterval(() => {}, 60000));

function print(tag, stream, from, count) {
  for (let i = from; i < from + count; i++) stream.write(tag + ' ' + (stream === process.stderr ? 'err' : 'out') + ' ' + i + '\n');
}

async function run(options, context) {
  const tag = options.tag || context.projectName + ':' + context.targetName;
  if (options.record) {
    const env = process.env;
    fs.writeFileSync(options.record, JSON.stringify({
      pid: process.pid,
      threadId,
      project: env.NX_TASK_TARGET_PROJECT ?? null,
      target: env.NX_TASK_TARGET_TARGET ?? null,
      probe: options.probeEnv ? env[options.probeEnv] ?? null : null,
      cwd: process.cwd(),
      state: {
        exitCode: process.exitCode ?? null,
        argv: process.argv.length,
        umask: isMainThread ? process.umask() : null,
        listeners: Object.fromEntries(LEFT_EVENTS.map((name) => [name, process.listenerCount(name)])),
        consoleReplaced: console.log.leftBehind === true,
      },
    }));
  }
  if (options.leave) leaveState(options.leave);
  print(tag, process.stdout, 0, options.lines || 0);
  print(tag, process.stderr, 0, options.stderrLines || 0);
  if (options.rendezvous) {
    fs.writeFileSync(options.rendezvous.create, '');
    await waitForFile(options.rendezvous.waitFor, 15000);
    print(tag, process.stdout, options.lines || 0, options.rendezvous.afterLines);
  }
  if (options.childEcho) cp.execSync('echo from-child ' + tag, { stdio: 'inherit' });
  if (options.childNode) {
    cp.spawnSync(process.execPath, ['-e', 'console.log(process.argv[1])', 'from-node-child ' + tag], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  if (options.childPiped) {
    process.stdout.write(cp.execFileSync(process.execPath, ['-e', 'console.log(process.argv[1])', 'from-piped-child ' + tag], { encoding: 'utf8' }));
  }
  if (options.sleepers) {
    const exited = startSleepers(options.sleepers);
    if (options.sleepers.await) await exited;
  }
  if (options.setEnv) Object.assign(process.env, options.setEnv);
  if (options.chdir) process.chdir(options.chdir);
  switch (options.end) {
    case 'fail': return { success: false };
    case 'throw': throw new Error(options.message || 'fake executor threw');
    case 'exit': process.exit(3);
    case 'hang': return forever();
    case 'throw-outside':
      setTimeout(() => { throw new Error(options.message || 'thrown outside'); });
      return forever();
    case 'reject-outside':
      Promise.reject(new Error(options.message || 'rejected outside'));
      return forever();
    case 'out-of-memory': {
      const hoard = [];
      for (;;) hoard.push(new Array(1 << 20).fill(hoard.length));
    }
    default: return { success: true };
  }
}

module.exports = function (options, context) {
  if (!options.returnOnly) return run(options, context);
  return (async function* () {
    return await run(options, context);
  })();
};
`;

const EXECUTOR = './tools/fake:run';

export class FakeWorkspace {
  readonly root: string;
  /** Where tests put record and rendezvous files. */
  readonly scratch: string;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'nx-parallel-pool-'));
    this.scratch = join(this.root, 'scratch');
    const write = (file: string, text: string): void => {
      mkdirSync(join(this.root, file, '..'), { recursive: true });
      writeFileSync(join(this.root, file), text);
    };
    const json = (value: unknown): string => JSON.stringify(value, null, 2);
    mkdirSync(this.scratch);
    write('package.json', json({ name: 'pool-contract-workspace', private: true }));
    write('nx.json', json({ analytics: false }));
    write('tools/fake/package.json', json({ name: 'fake', executors: './executors.json' }));
    write(
      'tools/fake/executors.json',
      json({ executors: { run: { implementation: './impl.js', schema: './schema.json', description: 'fake' } } }),
    );
    write('tools/fake/schema.json', json({ version: 2, type: 'object', properties: {}, additionalProperties: true }));
    write('tools/fake/impl.js', FAKE_EXECUTOR);
  }

  file(name: string): string {
    return join(this.scratch, name);
  }

  recording(name: string): TaskRecording {
    return JSON.parse(readFileSync(this.file(name), 'utf8')) as TaskRecording;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

function projectRoot(project: string): string {
  return `libs/${project}`;
}

/** The `WorkerInit` of a run of `tasks`, keyed by task id, as the `parallel` executor builds it. */
export function buildWorkerInit(workspace: FakeWorkspace, tasks: Record<string, TaskSpec>): WorkerInit {
  const targets = new Map<string, Record<string, TargetConfiguration>>();
  const taskGraph: TaskGraph = { roots: [], tasks: {}, dependencies: {}, continuousDependencies: {} };
  for (const [id, spec] of Object.entries(tasks)) {
    const projectTargets = targets.get(spec.project) ?? {};
    projectTargets[spec.target] = { executor: EXECUTOR, options: { ...spec.options } };
    targets.set(spec.project, projectTargets);
    taskGraph.roots.push(id);
    taskGraph.dependencies[id] = [];
    taskGraph.continuousDependencies[id] = [];
    taskGraph.tasks[id] = {
      id,
      target: { project: spec.project, target: spec.target },
      overrides: {},
      outputs: [],
      projectRoot: projectRoot(spec.project),
      cache: false,
    };
  }
  const projectGraph: ProjectGraph = { nodes: {}, dependencies: {} };
  const projectsConfigurations: ProjectsConfigurations = { version: 2, projects: {} };
  for (const [name, projectTargets] of targets) {
    const root = projectRoot(name);
    mkdirSync(join(workspace.root, root), { recursive: true });
    projectGraph.nodes[name] = { name, type: 'lib', data: { root, targets: projectTargets } };
    projectGraph.dependencies[name] = [];
    projectsConfigurations.projects[name] = { name, root, targets: projectTargets };
  }
  const baseEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) baseEnv[key] = value;
  return {
    root: workspace.root,
    cwd: workspace.root,
    isVerbose: false,
    projectGraph,
    projectsConfigurations,
    nxJsonConfiguration: {},
    taskGraph,
    baseEnv,
  };
}

/** The pool options a test may set; by default no timeout and no recycling. */
export type PoolLimits = Partial<Pick<PoolOptions, 'taskTimeoutMs' | 'maxTasksPerWorker' | 'memoryLimitBytes'>> & {
  /** Variables added to the environment the workers start with. */
  env?: Record<string, string>;
};

export interface TaskRun {
  taskId: string;
  result: PoolRunResult;
  output: string;
}

/** Creates built pools and remembers them, so a failed test still closes every one. */
export class PoolHarness {
  private readonly pools = new Set<WorkerPool>();
  private seq = 0;
  /** Output the pools' workers wrote outside any task. */
  stray = '';
  /** Output that reached a task's `onOutput` after its result came. */
  late = '';

  constructor(private readonly backend: Backend) {}

  create(workspace: FakeWorkspace, size: number, tasks: Record<string, TaskSpec>, limits: PoolLimits = {}): WorkerPool {
    const { createWorkerPool } = loadBuilt();
    const init = buildWorkerInit(workspace, tasks);
    const pool = createWorkerPool(this.backend, {
      size,
      env: { ...init.baseEnv, ...limits.env },
      onStrayOutput: (text) => (this.stray += text),
      taskTimeoutMs: limits.taskTimeoutMs ?? 0,
      maxTasksPerWorker: limits.maxTasksPerWorker,
      memoryLimitBytes: limits.memoryLimitBytes,
    });
    void pool.initialize(init);
    this.pools.add(pool);
    return pool;
  }

  /** Runs one task; its output is what reached this call's `onOutput`. */
  async run(pool: WorkerPool, taskId: string): Promise<TaskRun> {
    let output = '';
    let settled = false;
    const release = this.backend === 'inline' ? keepBinaryWritesOutOfCapture(process.stdout) : undefined;
    try {
      const result = await pool.run({ seq: ++this.seq, taskId }, (text) => {
        if (settled) this.late += text;
        else output += text;
      });
      settled = true;
      return { taskId, result, output };
    } finally {
      release?.();
    }
  }

  /** Runs every task with never more in flight than the pool has workers, as the scheduler does. */
  async runAll(pool: WorkerPool, taskIds: readonly string[]): Promise<TaskRun[]> {
    const runs: TaskRun[] = [];
    const queue = [...taskIds];
    const lane = async (): Promise<void> => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) runs.push(await this.run(pool, next));
    };
    await Promise.all(Array.from({ length: Math.min(pool.size, taskIds.length) }, lane));
    return runs;
  }

  async closeAll(): Promise<void> {
    const pools = [...this.pools];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

function loadBuilt(): { createWorkerPool: typeof CreateWorkerPool } {
  if (!existsSync(BUILT_FACTORY)) throw new Error(`${BUILT_FACTORY} is missing: run \`npm run build\` first.`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(BUILT_FACTORY) as { createWorkerPool: typeof CreateWorkerPool };
}

type Write = NodeJS.WriteStream['write'];

/**
 * Node's test runner reports this file's results as binary frames written to `process.stdout` of
 * this very process, at any time, also while an inline task runs; the inline backend captures every
 * write on the main process during a task, so those frames would vanish into the task's output (and
 * with them test results). While an inline task runs, `write` becomes an accessor: what the backend
 * installs receives strings, binary frames go to the real stream. The fake executor only writes
 * strings. Call the returned function once the task's result came (the backend has restored).
 */
function keepBinaryWritesOutOfCapture(stream: NodeJS.WriteStream): () => void {
  const own = Object.getOwnPropertyDescriptor(stream, 'write');
  const real = stream.write.bind(stream);
  let installed: Write | undefined;
  const dispatch = function (this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
    const target = typeof chunk === 'string' && installed ? installed : real;
    return (target as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
  };
  Object.defineProperty(stream, 'write', {
    configurable: true,
    get: () => dispatch,
    set: (write: Write) => {
      installed = write;
    },
  });
  return () => {
    if (own) Object.defineProperty(stream, 'write', own);
    else delete (stream as Partial<NodeJS.WriteStream>).write;
  };
}

/** Lines of `output` that start with `prefix`, in order. */
export function linesWith(output: string, prefix: string): string[] {
  return output.split('\n').filter((line) => line.startsWith(prefix));
}

export function numbered(prefix: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix} ${from + i}`);
}

/** Resolves with `fallback` if `promise` has not settled within `ms`: a bound, not an ordering. */
export function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Waits, bounded, until every file exists. */
export async function waitForFiles(files: readonly string[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!files.every((file) => existsSync(file))) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${files.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
