/**
 * Against Nx: the same builds of a generated workspace with `nx run-many` and with the
 * nx-parallel target, on N = 1 and 2, the two commands alternating. Each run starts without outputs
 * and must leave every transpiled file, so both run the same set of tasks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { getNxSandbox } from './nx-sandbox';
import { runNxTimed } from './run-nx-timed';
import { fixed, median } from './stats';
import type { Table } from './table';
import { countOutputs, createTranspileWorkspace, removeOutputs, type TranspileWorkspace } from './transpile-workspace';

const WORKERS = [1, 2] as const;
const RUNS = 3;
const SPEC = { levels: 4, projectsPerLevel: 12, filesPerProject: 4, seed: 11 };

type Command = 'run-many' | 'nx-parallel';

export interface AgainstNxMeasurement {
  workers: number;
  runManyMs: number[];
  nxParallelMs: number[];
  runManyMedianMs: number;
  nxParallelMedianMs: number;
  /** nx-parallel / run-many, of the medians. */
  ratio: number;
}

export interface AgainstNxResult {
  nxVersion: string;
  projects: number;
  tasks: number;
  filesPerProject: number;
  measurements: AgainstNxMeasurement[];
}

function commandArgs(command: Command, workers: number): string[] {
  return command === 'run-many'
    ? ['run-many', '-t', 'build', `--parallel=${workers}`, '--skip-nx-cache']
    : ['run', 'root:parallel', '-n', String(workers)];
}

async function timeOnce(
  nxBin: string,
  workspace: TranspileWorkspace,
  command: Command,
  workers: number,
): Promise<number> {
  removeOutputs(workspace);
  const log = path.join(workspace.root, '..', `${command}-${workers}.log`);
  const run = await runNxTimed(nxBin, workspace.root, commandArgs(command, workers), log);
  const outputs = countOutputs(workspace);
  if (run.code !== 0 || outputs !== workspace.expectedOutputs) {
    throw new Error(
      `${command} with ${workers} worker(s) exited ${run.code} with ${outputs} of ${workspace.expectedOutputs} outputs; see ${log}`,
    );
  }
  return run.ms;
}

export async function measureAgainstNx(): Promise<AgainstNxResult> {
  const sandbox = getNxSandbox();
  const parent = path.join(sandbox.dir, 'workspaces');
  fs.mkdirSync(parent, { recursive: true });
  const workspace = createTranspileWorkspace(parent, SPEC);
  const measurements: AgainstNxMeasurement[] = [];
  try {
    for (const workers of WORKERS) {
      // One untimed run of each warms the disk cache and the project graph cache alike.
      await timeOnce(sandbox.nxBin, workspace, 'run-many', workers);
      await timeOnce(sandbox.nxBin, workspace, 'nx-parallel', workers);
      const runManyMs: number[] = [];
      const nxParallelMs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        runManyMs.push(await timeOnce(sandbox.nxBin, workspace, 'run-many', workers));
        nxParallelMs.push(await timeOnce(sandbox.nxBin, workspace, 'nx-parallel', workers));
      }
      const runManyMedianMs = median(runManyMs);
      const nxParallelMedianMs = median(nxParallelMs);
      measurements.push({
        workers,
        runManyMs,
        nxParallelMs,
        runManyMedianMs,
        nxParallelMedianMs,
        ratio: nxParallelMedianMs / runManyMedianMs,
      });
    }
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
  return {
    nxVersion: sandbox.nxVersion,
    projects: workspace.projects,
    tasks: workspace.projects,
    filesPerProject: SPEC.filesPerProject,
    measurements,
  };
}

export function againstNxTable(result: AgainstNxResult): Table {
  const seconds = (runs: number[]): string => runs.map((ms) => fixed(ms / 1000, 1)).join(', ');
  return {
    title: `Against Nx ${result.nxVersion}: ${result.tasks} build tasks (${result.filesPerProject} files transpiled each)`,
    columns: [
      'N',
      'run-many median s',
      'nx-parallel median s',
      'nx-parallel / run-many',
      'run-many runs s',
      'nx-parallel runs s',
    ],
    rows: result.measurements.map((m) => [
      String(m.workers),
      fixed(m.runManyMedianMs / 1000),
      fixed(m.nxParallelMedianMs / 1000),
      fixed(m.ratio),
      seconds(m.runManyMs),
      seconds(m.nxParallelMs),
    ]),
    notes: [
      '`nx run-many -t build --parallel=N --skip-nx-cache` against `nx run root:parallel -n N`, alternating, after one untimed run of each; wall time of the whole nx command.',
    ],
  };
}
