/**
 * Real work: the workspace of the real-workspace suite (e2e/real/, made with Nx's own generators
 * and first-party plugins), `build test lint` uncached, `nx run-many --parallel=N` against the
 * nx-parallel target with `-n N` for N = 1 and 2, and the builds alone against
 * `nx run-many --batch`. The commands alternate; every run starts without outputs, must succeed
 * and must leave the same outputs as run-many. The floor is the sum of the tasks' own times in a
 * warm worker (nx-parallel's summary at N = 1) divided by N.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanOutputs, hashOutputs } from '../e2e/real/support/compare';
import {
  createRealWorkspace,
  packPlugin,
  removeRealWorkspace,
  type Major,
  type RealWorkspace,
} from '../e2e/real/support/installed-fixture';
import { runNxTimed } from './run-nx-timed';
import { fixed, median } from './stats';
import type { Table } from './table';

const MAJOR: Major = '24';
const RUNS = 2;
const ALL = ['build', 'test', 'lint'];

type Runner = 'run-many' | 'run-many --batch' | 'nx-parallel';

interface Scenario {
  label: string;
  targets: string[];
  workers: number;
  runners: Runner[];
}

const SCENARIOS: Scenario[] = [
  { label: 'build test lint', targets: ALL, workers: 1, runners: ['run-many', 'nx-parallel'] },
  { label: 'build test lint', targets: ALL, workers: 2, runners: ['run-many', 'nx-parallel'] },
  { label: 'build', targets: ['build'], workers: 2, runners: ['run-many', 'run-many --batch', 'nx-parallel'] },
];

export interface RealMeasurement {
  label: string;
  workers: number;
  tasks: number;
  /** Wall times of each runner's runs, ms. */
  runs: Partial<Record<Runner, number[]>>;
  medians: Partial<Record<Runner, number>>;
  /** Sum of the tasks' own durations in a warm worker at N = 1, divided by N. */
  floorMs: number;
  /**
   * Output files whose bytes differ from run-many's, by runner. nx-parallel must have none; Nx's
   * batch mode builds with tsc's own batch and may write some files otherwise.
   */
  differingOutputs: Partial<Record<Runner, string[]>>;
}

export interface RealResult {
  nxVersion: string;
  measurements: RealMeasurement[];
}

interface MeasuredScenario {
  measurement: RealMeasurement;
  /** Each task's own durations in nx-parallel's timed runs. */
  own: Record<string, number[]>;
}

interface SummaryFile {
  tasks: { id: string; target: string; durationMs: number }[];
}

function args(runner: Runner, scenario: Scenario, summaryFile: string, workspace: RealWorkspace): string[] {
  const runMany = ['run-many', '-t', ...scenario.targets, `--parallel=${scenario.workers}`, '--skip-nx-cache'];
  switch (runner) {
    case 'run-many':
      return runMany;
    case 'run-many --batch':
      return [...runMany, '--batch'];
    case 'nx-parallel':
      return [
        'run',
        `${workspace.parallelProject}:parallel`,
        '--projects=*',
        `--targets=${scenario.targets.join(',')}`,
        '-n',
        String(scenario.workers),
        '--skipCache',
        `--summaryFile=${summaryFile}`,
      ];
    default: {
      const never: never = runner;
      return never;
    }
  }
}

interface TimedRun {
  ms: number;
  outputs: Record<string, string>;
  summary?: SummaryFile;
}

async function timeOnce(workspace: RealWorkspace, runner: Runner, scenario: Scenario): Promise<TimedRun> {
  cleanOutputs(workspace.root);
  const summaryFile = path.join(workspace.root, '..', `${path.basename(workspace.root)}-summary.json`);
  const log = path.join(workspace.root, '..', `${path.basename(workspace.root)}-${runner.replace(/\W+/g, '-')}.log`);
  const run = await runNxTimed(workspace.nxBin, workspace.root, args(runner, scenario, summaryFile, workspace), log);
  if (run.code !== 0)
    throw new Error(`${runner} (${scenario.label}, N=${scenario.workers}) exited ${run.code}; see ${log}`);
  const outputs = hashOutputs(workspace.root);
  if (runner !== 'nx-parallel') return { ms: run.ms, outputs };
  const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as SummaryFile;
  return { ms: run.ms, outputs, summary };
}

/** Paths present in one set of outputs only, or with other bytes. */
function differences(reference: Record<string, string>, outputs: Record<string, string>): string[] {
  const paths = new Set([...Object.keys(reference), ...Object.keys(outputs)]);
  return [...paths].filter((file) => reference[file] !== outputs[file]).sort();
}

async function measureScenario(workspace: RealWorkspace, scenario: Scenario): Promise<MeasuredScenario> {
  const runs: Partial<Record<Runner, number[]>> = {};
  let reference: Record<string, string> | undefined;
  const differingOutputs: Partial<Record<Runner, string[]>> = {};
  /** Each task's own durations in nx-parallel's timed runs. */
  const own: Record<string, number[]> = {};
  let tasks = 0;
  // Round 0 warms the disk cache and Nx's project graph; it is not counted.
  for (let round = 0; round <= RUNS; round++) {
    for (const runner of scenario.runners) {
      const timed = await timeOnce(workspace, runner, scenario);
      reference ??= timed.outputs;
      const differing = differences(reference, timed.outputs);
      if (runner === 'nx-parallel' && differing.length) {
        throw new Error(`nx-parallel (${scenario.label}) left other outputs than run-many: ${differing.join(', ')}`);
      }
      if (differing.length) differingOutputs[runner] = differing;
      if (timed.summary) tasks = timed.summary.tasks.length;
      if (round === 0) continue;
      (runs[runner] ??= []).push(timed.ms);
      for (const task of timed.summary?.tasks ?? []) (own[task.id] ??= []).push(task.durationMs);
    }
  }
  const medians: Partial<Record<Runner, number>> = {};
  for (const runner of scenario.runners) medians[runner] = median(runs[runner] ?? []);
  return {
    measurement: {
      label: scenario.label,
      workers: scenario.workers,
      tasks,
      runs,
      medians,
      floorMs: 0,
      differingOutputs,
    },
    own,
  };
}

/**
 * The floor of each scenario: its tasks' own durations one after the other in a warm worker (the
 * medians of the N = 1 runs, where no task competes with another for the cores), divided by N.
 */
function setFloors(scenarios: MeasuredScenario[]): void {
  const alone = scenarios.find((scenario) => scenario.measurement.workers === 1);
  if (!alone) return;
  for (const { measurement, own } of scenarios) {
    const sum = Object.keys(own).reduce((total, id) => total + median(alone.own[id] ?? [0]), 0);
    measurement.floorMs = sum / measurement.workers;
  }
}

export async function measureReal(): Promise<RealResult> {
  const tarball = packPlugin();
  const workspace = await createRealWorkspace(MAJOR, tarball, 'bench');
  try {
    const measured: MeasuredScenario[] = [];
    for (const scenario of SCENARIOS) measured.push(await measureScenario(workspace, scenario));
    setFloors(measured);
    const measurements = measured.map((scenario) => scenario.measurement);
    const nx = JSON.parse(fs.readFileSync(path.join(workspace.root, 'node_modules/nx/package.json'), 'utf8')) as {
      version: string;
    };
    return { nxVersion: nx.version, measurements };
  } finally {
    removeRealWorkspace(workspace);
    fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
  }
}

export function realTable(result: RealResult): Table {
  const seconds = (ms: number | undefined): string => (ms === undefined ? '' : fixed(ms / 1000, 1));
  const ratio = (a: number | undefined, b: number | undefined): string => (a && b ? fixed(a / b) : '');
  return {
    title: `Real work (Nx ${result.nxVersion}, the e2e/real workspace, uncached)`,
    columns: [
      'tasks',
      'N',
      'run-many s',
      'run-many --batch s',
      'nx-parallel s',
      'nx-parallel / run-many',
      'nx-parallel / --batch',
      'floor s',
      'floor / run-many',
    ],
    rows: result.measurements.map((m) => [
      `${m.label} (${m.tasks})`,
      String(m.workers),
      seconds(m.medians['run-many']),
      seconds(m.medians['run-many --batch']),
      seconds(m.medians['nx-parallel']),
      ratio(m.medians['nx-parallel'], m.medians['run-many']),
      ratio(m.medians['nx-parallel'], m.medians['run-many --batch']),
      seconds(m.floorMs),
      ratio(m.floorMs, m.medians['run-many']),
    ]),
    notes: [
      `Medians of ${RUNS} alternating runs after one untimed round; wall time of the whole nx command, outputs removed before each run and compared with run-many's after it. Floor: the sum of the tasks' own durations in a warm worker at N = 1 (medians), divided by N.`,
      ...result.measurements.flatMap((m) =>
        Object.entries(m.differingOutputs).map(
          ([runner, files]) =>
            `${runner} (${m.label}) wrote ${files.length} file(s) unlike run-many: ${files.join(', ')}`,
        ),
      ),
    ],
  };
}
