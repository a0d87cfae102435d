/**
 * Scale: planning (`createInnerTaskGraph` + `rankTasks`) of synthetic graphs of 5,000 and 20,000
 * tasks, each size in a fresh child process so that neither time nor memory carries over.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { ScaleChildReport } from './scale-child';
import { fixed } from './stats';
import type { Table } from './table';

const SIZES = [5_000, 20_000] as const;
const REPETITIONS = 3;
const CHILD = join(__dirname, 'scale-child.ts');

function measureSize(projects: number): ScaleChildReport {
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, String(projects)], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (child.status !== 0) throw new Error(`scale-child ${projects} failed (${child.status}):\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as ScaleChildReport;
}

export interface ScaleMeasurement {
  /** The run with the median planning time. */
  median: ScaleChildReport;
  runs: ScaleChildReport[];
}

/** Each size several times, each run in its own process; the median run by planning time. */
export function measureScale(): ScaleMeasurement[] {
  return SIZES.map((projects) => {
    const runs = Array.from({ length: REPETITIONS }, () => measureSize(projects));
    const sorted = [...runs].sort((a, b) => a.planningMs - b.planningMs);
    return { median: sorted[sorted.length >> 1] as ScaleChildReport, runs };
  });
}

export function scaleTable(measurements: readonly ScaleMeasurement[]): Table {
  return {
    title: 'Scale: planning without running (createInnerTaskGraph + rankTasks)',
    columns: [
      'tasks',
      'edges',
      'createInnerTaskGraph ms',
      'rankTasks ms',
      'planning ms',
      'rss before graph MB',
      'peak rss MB',
      'highest peak of the runs MB',
    ],
    rows: measurements.map(({ median: r, runs }) => [
      String(r.tasks),
      String(r.edges),
      fixed(r.createInnerTaskGraphMs, 0),
      fixed(r.rankTasksMs, 0),
      fixed(r.planningMs, 0),
      fixed(r.baselineRssMb, 0),
      fixed(r.peakRssMb, 0),
      fixed(Math.max(...runs.map((run) => run.peakRssMb)), 0),
    ]),
    notes: [
      `The median of ${REPETITIONS} runs by planning time, each in a fresh process. One project per task (\`build\` dependsOn \`^build\`, 1-3 dependencies each); peak is VmHWM, including the synthetic project graph and the loaded modules.`,
    ],
  };
}
