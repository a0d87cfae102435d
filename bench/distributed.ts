/**
 * Distributed: what sending tasks to other machines costs, measured on this one. A real
 * redis-server and `nx-parallel worker` processes, each serving from its own git copy of the
 * workspace (standing for a machine), against the `processes` backend on the same tasks; the two
 * alternate, after one untimed run of each.
 *
 * - Chain: tasks that each depend on the one before, so one runs at a time, on 1 worker. The time
 *   per task is a task's round trip; for `distributed` it holds the job's way through the queue and
 *   back, and the archive of the task's outputs, stored by the worker and restored by the coordinator.
 * - Throughput: independent tasks on 2 workers (2 worker processes of concurrency 1, or `-n 2`).
 *
 * The tasks are the e2e tests' `tools/make`: each writes one small file into its declared output,
 * holding its dependencies' files, and fails when one of those is missing, so a run that succeeds
 * shows the outputs travelled.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from '../e2e/support/cluster';
import { MAKE_FILES, MAKE_TARGET_DEFAULTS, make, type WorkerProcess } from '../e2e/support/distributed';
import { parallelTarget, type ProjectSpec } from '../e2e/support/workspace';
import { startRedis } from '../src/test-support/redis-server';
import { getNxSandbox } from './nx-sandbox';
import { runNxTimed } from './run-nx-timed';
import { fixed, median } from './stats';
import type { Table } from './table';

const CHAIN_TASKS = 50;
const WIDE_TASKS = 200;
const RUNS = 5;
const SUMMARY = 'bench-summary.json';

type Backend = 'processes' | 'distributed';

interface Scenario {
  /** The `projects` option: the last project of the chain, or every wide project. */
  projects: string;
  /** The projects whose `dist/libs/<project>/out.txt` a complete run leaves. */
  outputs: string[];
  workers: number;
}

export interface DistributedRun {
  /** Wall time of the whole nx command. */
  wallMs: number;
  /** From the run's start to the end of its first task; for `distributed` it includes workers joining the run. */
  firstDoneMs: number;
  /** (end of the last task - end of the first) / (tasks - 1): what a task costs once the run is going. */
  msPerTask: number;
  /** Tasks per worker: `process-<pid>`, or for `distributed` the `--name` of the worker. */
  tasksPerWorker: Record<string, number>;
}

export interface DistributedCase {
  backend: Backend;
  runs: DistributedRun[];
  /** Medians of the runs. */
  wallMs: number;
  firstDoneMs: number;
  msPerTask: number;
}

export interface DistributedScenarioResult {
  tasks: number;
  workers: number;
  processes: DistributedCase;
  distributed: DistributedCase;
}

export interface DistributedResult {
  redisVersion: string;
  chain: DistributedScenarioResult;
  throughput: DistributedScenarioResult;
}

interface Summary {
  run: { start: string; counts: { succeeded: number } };
  tasks: { end: string | null; workerId: string | null }[];
}

interface Bench {
  nxBin: string;
  cluster: Cluster;
  /** Where nx's output of each run goes. */
  logDir: string;
}

/** chain-0 <- chain-1 <- ... and wide-0 ... wide-N, and `bench`, whose only target is the nx-parallel one. */
function benchProjects(): Record<string, ProjectSpec> {
  const projects: Record<string, ProjectSpec> = {
    bench: { targets: { parallel: parallelTarget({ waitForWorkersSeconds: 60 }) } },
  };
  const targets = { build: make() };
  for (let i = 0; i < CHAIN_TASKS; i++) projects[`chain-${i}`] = { deps: i ? [`chain-${i - 1}`] : [], targets };
  for (let i = 0; i < WIDE_TASKS; i++) projects[`wide-${i}`] = { targets };
  return projects;
}

function readSummary(file: string): { summary: Summary; run: Omit<DistributedRun, 'wallMs'> } {
  const summary = JSON.parse(fs.readFileSync(file, 'utf8')) as Summary;
  const ends = summary.tasks.map((task) => Date.parse(task.end ?? '')).sort((a, b) => a - b);
  const first = ends[0] ?? NaN;
  const last = ends[ends.length - 1] ?? NaN;
  const tasksPerWorker: Record<string, number> = {};
  for (const { workerId } of summary.tasks) {
    // `w1/process-123`: the machine is what matters here.
    const worker = (workerId ?? 'none').split('/')[0] ?? 'none';
    tasksPerWorker[worker] = (tasksPerWorker[worker] ?? 0) + 1;
  }
  return {
    summary,
    run: {
      firstDoneMs: first - Date.parse(summary.run.start),
      msPerTask: (last - first) / Math.max(1, ends.length - 1),
      tasksPerWorker,
    },
  };
}

async function timeRun(bench: Bench, scenario: Scenario, backend: Backend): Promise<DistributedRun> {
  const { root } = bench.cluster.coordinator;
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  fs.rmSync(path.join(root, SUMMARY), { force: true });
  const args = ['run', 'bench:parallel', `--projects=${scenario.projects}`, `--parallelBackend=${backend}`];
  args.push(`--nWorkers=${scenario.workers}`, `--summaryFile=${SUMMARY}`);
  const log = path.join(bench.logDir, `${backend}.log`);
  const run = await runNxTimed(bench.nxBin, root, args, log, bench.cluster.env());
  const missing = scenario.outputs.filter((p) => !fs.existsSync(path.join(root, 'dist/libs', p, 'out.txt')));
  if (run.code !== 0 || missing.length) {
    throw new Error(`${backend} ${args.join(' ')} exited ${run.code}, ${missing.length} outputs missing; see ${log}`);
  }
  const { summary, run: timing } = readSummary(path.join(root, SUMMARY));
  // Left in the workspace, it would be an uncommitted change to a worker that copies the workspace.
  fs.rmSync(path.join(root, SUMMARY));
  if (summary.run.counts.succeeded !== scenario.outputs.length) {
    throw new Error(`${backend}: ${summary.run.counts.succeeded} of ${scenario.outputs.length} tasks succeeded`);
  }
  const workers = Object.keys(timing.tasksPerWorker).length;
  if (workers !== scenario.workers) {
    throw new Error(`${backend} ran on ${workers} workers, not ${scenario.workers}: ${JSON.stringify(timing)}`);
  }
  return { wallMs: run.ms, ...timing };
}

function summarize(backend: Backend, runs: DistributedRun[]): DistributedCase {
  const of = (key: 'wallMs' | 'firstDoneMs' | 'msPerTask'): number => median(runs.map((run) => run[key]));
  return { backend, runs, wallMs: of('wallMs'), firstDoneMs: of('firstDoneMs'), msPerTask: of('msPerTask') };
}

async function measureScenario(bench: Bench, scenario: Scenario): Promise<DistributedScenarioResult> {
  // One untimed run of each first: nx's project graph cache, the disk cache, the workers' first run.
  await timeRun(bench, scenario, 'processes');
  await timeRun(bench, scenario, 'distributed');
  const runs: Record<Backend, DistributedRun[]> = { processes: [], distributed: [] };
  for (let i = 0; i < RUNS; i++) {
    runs.processes.push(await timeRun(bench, scenario, 'processes'));
    runs.distributed.push(await timeRun(bench, scenario, 'distributed'));
  }
  return {
    tasks: scenario.outputs.length,
    workers: scenario.workers,
    processes: summarize('processes', runs.processes),
    distributed: summarize('distributed', runs.distributed),
  };
}

export async function measureDistributed(): Promise<DistributedResult> {
  const sandbox = getNxSandbox();
  const redis = await startRedis();
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-bench-logs-'));
  let cluster: Cluster | undefined;
  const workers: WorkerProcess[] = [];
  try {
    cluster = new Cluster(
      sandbox,
      {
        name: 'bench-distributed',
        nxJson: { targetDefaults: { build: { ...MAKE_TARGET_DEFAULTS.build, cache: false } } },
        files: MAKE_FILES,
        projects: benchProjects(),
      },
      redis.url,
    );
    const bench: Bench = { nxBin: sandbox.nxBin, cluster, logDir };
    // Both machines are copies of the workspace as committed, before any run wrote into it.
    ['w1', 'w2'].forEach((name) => cluster?.machine(name));
    workers.push(...(await cluster.startWorkers('w1')));
    const chain = await measureScenario(bench, {
      projects: `chain-${CHAIN_TASKS - 1}`,
      outputs: Array.from({ length: CHAIN_TASKS }, (_, i) => `chain-${i}`),
      workers: 1,
    });
    workers.push(...(await cluster.startWorkers('w2')));
    const throughput = await measureScenario(bench, {
      projects: 'wide-*',
      outputs: Array.from({ length: WIDE_TASKS }, (_, i) => `wide-${i}`),
      workers: 2,
    });
    fs.rmSync(logDir, { recursive: true, force: true });
    return { redisVersion: redisVersion(), chain, throughput };
  } catch (error) {
    for (const worker of workers) process.stderr.write(`--- worker ${worker.name}\n${worker.log()}\n`);
    process.stderr.write(`nx's output of each run is in ${logDir}\n`);
    throw error;
  } finally {
    await cluster?.cleanUp();
    await redis.stop();
  }
}

function redisVersion(): string {
  const text = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout;
  return /v=(\S+)/.exec(text)?.[1] ?? 'unknown';
}

const seconds = (ms: number): string => fixed(ms / 1000);
const list = (runs: DistributedRun[], pick: (run: DistributedRun) => string): string => runs.map(pick).join(', ');

export function distributedChainTable(result: DistributedResult): Table {
  const { chain } = result;
  const row = (label: string, c: DistributedCase): string[] => [
    label,
    seconds(c.wallMs),
    seconds(c.firstDoneMs),
    fixed(c.msPerTask, 1),
    c.backend === 'processes' ? '-' : fixed(c.msPerTask - chain.processes.msPerTask, 1),
    list(c.runs, (run) => fixed(run.msPerTask, 1)),
  ];
  return {
    title: `Distributed: a chain of ${chain.tasks} tasks, one at a time on 1 worker`,
    columns: ['backend', 'wall s', 'first task done s', 'ms per task', 'added ms per task', 'ms per task, runs'],
    rows: [row('processes, -n 1', chain.processes), row('distributed, 1 worker x 1', chain.distributed)],
    notes: [
      `Medians of ${RUNS} runs, alternating, after one untimed run of each; Redis ${result.redisVersion} and the workers on this machine. ` +
        'ms per task: (end of the last task - end of the first) / (tasks - 1), from the summary file.',
    ],
  };
}

export function distributedThroughputTable(result: DistributedResult): Table {
  const { throughput } = result;
  const perSecond = (c: { msPerTask: number }): string => fixed(1000 / c.msPerTask, 1);
  const row = (label: string, c: DistributedCase): string[] => [
    label,
    seconds(c.wallMs),
    seconds(c.firstDoneMs),
    perSecond(c),
    c.backend === 'processes' ? '-' : fixed(1000 / c.msPerTask / (1000 / throughput.processes.msPerTask)),
    list(c.runs, (run) => seconds(run.wallMs)),
  ];
  return {
    title: `Distributed: ${throughput.tasks} independent tasks on ${throughput.workers} workers`,
    columns: ['backend', 'wall s', 'first task done s', 'tasks per s', 'of processes', 'wall s, runs'],
    rows: [
      row(`processes, -n ${throughput.workers}`, throughput.processes),
      row(`distributed, ${throughput.workers} workers x 1`, throughput.distributed),
    ],
    notes: [
      `Medians of ${RUNS} runs, alternating, after one untimed run of each. ` +
        'tasks per s: (tasks - 1) / (end of the last task - end of the first).',
    ],
  };
}
