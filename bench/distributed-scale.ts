/**
 * Distributed scaling: 400 independent tasks that each wait 200 ms on a timer, on 1, 2, 4 and 8
 * agents of concurrency 1 (so agents = slots), each serving from its own git copy of the workspace,
 * with a real redis-server, all on this machine. The tasks take no CPU, so on 2 cores the times show
 * what orchestrating them costs, not the work. The sizes run in that order, adding agents, each
 * after one untimed run of a few tasks (the new agents' first run, nx's project graph cache).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from '../e2e/support/cluster';
import type { WorkerProcess } from '../e2e/support/distributed';
import { parallelTarget, type ProjectSpec } from '../e2e/support/workspace';
import { startRedis } from '../src/test-support/redis-server';
import { getNxSandbox } from './nx-sandbox';
import { runNxTimed } from './run-nx-timed';
import { fixed } from './stats';
import type { Table } from './table';

const TASKS = 400;
const TASK_MS = 200;
const SIZES = [1, 2, 4, 8];
/** The untimed run before each size: `warm-*`. */
const WARM_UP_TASKS = 10;
const SUMMARY = 'bench-summary.json';
/** What 8 agents must reach against 1. */
const TARGET_SPEED_UP = 6;

const WAIT_FILES: Record<string, string> = {
  'tools/wait/package.json': JSON.stringify({ name: 'wait', private: true, executors: './executors.json' }),
  'tools/wait/executors.json': JSON.stringify({
    executors: { wait: { implementation: './wait.js', schema: './schema.json', description: 'Waits.' } },
  }),
  'tools/wait/schema.json': JSON.stringify({ version: 2, type: 'object', properties: {}, additionalProperties: true }),
  'tools/wait/wait.js':
    'module.exports = async (options) => {\n' +
    '  await new Promise((resolve) => setTimeout(resolve, options.ms));\n' +
    '  return { success: true };\n' +
    '};\n',
};

export interface ScaleRow {
  agents: number;
  /** The run's own duration (summaryFile `run.durationMs`): from the executor's start to its end. */
  runMs: number;
  /** Wall time of the whole nx command, nx's project graph included. */
  wallMs: number;
  /** Tasks per agent, by `--name`. */
  tasksPerAgent: Record<string, number>;
}

export interface DistributedScaleResult {
  tasks: number;
  taskMs: number;
  rows: ScaleRow[];
}

interface Summary {
  run: { durationMs: number; counts: { succeeded: number } };
  tasks: { workerId: string | null }[];
}

function scaleProjects(): Record<string, ProjectSpec> {
  const projects: Record<string, ProjectSpec> = {
    bench: { targets: { parallel: parallelTarget({ waitForWorkersSeconds: 120 }) } },
  };
  const targets = { build: { executor: './tools/wait:wait', options: { ms: TASK_MS } } };
  for (let i = 0; i < TASKS; i++) projects[`wait-${i}`] = { targets };
  for (let i = 0; i < WARM_UP_TASKS; i++) projects[`warm-${i}`] = { targets };
  return projects;
}

async function timeRun(cluster: Cluster, logDir: string, projects: string, tasks: number): Promise<ScaleRow> {
  const { root } = cluster.coordinator;
  const args = ['run', 'bench:parallel', `--projects=${projects}`];
  args.push('--parallelBackend=distributed', `--summaryFile=${SUMMARY}`);
  const log = path.join(logDir, 'scale.log');
  const run = await runNxTimed(getNxSandbox().nxBin, root, args, log, cluster.env());
  if (run.code !== 0) throw new Error(`nx ${args.join(' ')} exited ${run.code}; see ${log}`);
  const file = path.join(root, SUMMARY);
  const summary = JSON.parse(fs.readFileSync(file, 'utf8')) as Summary;
  // Left in the workspace, it would be an uncommitted change to an agent that copies the workspace.
  fs.rmSync(file);
  if (summary.run.counts.succeeded !== tasks) {
    throw new Error(`${summary.run.counts.succeeded} of ${tasks} tasks succeeded; see ${log}`);
  }
  const tasksPerAgent: Record<string, number> = {};
  for (const { workerId } of summary.tasks) {
    const agent = (workerId ?? 'none').split('/')[0] ?? 'none';
    tasksPerAgent[agent] = (tasksPerAgent[agent] ?? 0) + 1;
  }
  return { agents: Object.keys(tasksPerAgent).length, runMs: summary.run.durationMs, wallMs: run.ms, tasksPerAgent };
}

export async function measureDistributedScale(): Promise<DistributedScaleResult> {
  const sandbox = getNxSandbox();
  const redis = await startRedis();
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-bench-scale-'));
  const spec = {
    name: 'bench-distributed-scale',
    nxJson: { targetDefaults: { build: { cache: false } } },
    files: WAIT_FILES,
    projects: scaleProjects(),
  };
  const cluster = new Cluster(sandbox, spec, redis.url);
  const agents: WorkerProcess[] = [];
  try {
    // Every machine is a copy of the workspace as committed, before any run wrote into it.
    for (let i = 1; i <= Math.max(...SIZES); i++) cluster.machine(`a${i}`);
    const rows: ScaleRow[] = [];
    for (const size of SIZES) {
      const added = Array.from({ length: size - agents.length }, (_, i) => `a${agents.length + i + 1}`);
      agents.push(...(await cluster.startWorkers(...added)));
      await timeRun(cluster, logDir, 'warm-*', WARM_UP_TASKS);
      const row = await timeRun(cluster, logDir, 'wait-*', TASKS);
      if (row.agents !== size) throw new Error(`${TASKS} tasks ran on ${row.agents} agents, not ${size}`);
      rows.push(row);
    }
    fs.rmSync(logDir, { recursive: true, force: true });
    return { tasks: TASKS, taskMs: TASK_MS, rows };
  } catch (error) {
    for (const agent of agents) process.stderr.write(`--- agent ${agent.name}\n${agent.log()}\n`);
    process.stderr.write(`nx's output is in ${logDir}\n`);
    throw error;
  } finally {
    await cluster.cleanUp();
    await redis.stop();
  }
}

/** What each task cost above its own 200 ms, per slot: (run - tasks x taskMs / slots) / (tasks / slots). */
export function overheadPerTaskMs(result: DistributedScaleResult, row: ScaleRow): number {
  const perSlot = result.tasks / row.agents;
  return (row.runMs - perSlot * result.taskMs) / perSlot;
}

export function distributedScaleTable(result: DistributedScaleResult): Table {
  const base = result.rows[0];
  const last = result.rows.at(-1);
  const reached = base && last ? base.runMs / last.runMs : NaN;
  const row = (r: ScaleRow): string[] => [
    String(r.agents),
    fixed(r.runMs / 1000),
    fixed(r.wallMs / 1000),
    fixed((result.tasks * result.taskMs) / r.agents / 1000),
    base ? fixed(base.runMs / r.runMs) : 'n/a',
    fixed(overheadPerTaskMs(result, r), 1),
    Object.values(r.tasksPerAgent)
      .sort((a, b) => b - a)
      .join(', '),
  ];
  return {
    title: `Distributed scaling: ${result.tasks} independent tasks of ${result.taskMs} ms on 1 to 8 agents`,
    columns: ['agents', 'run s', 'nx wall s', 'ideal s', 'speed-up', 'overhead ms per task', 'tasks per agent'],
    rows: result.rows.map(row),
    notes: [
      'Each agent is `nx-parallel worker --concurrency 1` in its own git copy of the workspace; Redis and the agents ' +
        'on this machine. run s: the run as the summary file times it (from the executor start to its end, nx ' +
        "computing its project graph left out; nx wall s has it). ideal s: tasks x 200 ms / agents. speed-up: 1 agent's " +
        'run s / this run s. overhead ms per task: (run - ideal) / (tasks / agents), what a task costs a slot above its ' +
        '200 ms, agents joining the run included. One timed run per size, after one untimed run of 10 tasks.',
      `Target: at least ${TARGET_SPEED_UP}x on ${last?.agents ?? 'n/a'} agents; ${fixed(reached)}x, ` +
        `${reached >= TARGET_SPEED_UP ? 'met' : 'missed'}.`,
    ],
  };
}
