/**
 * One size of the scale part, alone in its process: builds a synthetic project graph, then times
 * planning (`createInnerTaskGraph` + `rankTasks`, nothing run) and reports the process's memory as
 * one JSON line on stdout.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadCreateInnerTaskGraph, loadRankTasks } from './built';
import { createSyntheticProjectGraph } from './synthetic-project-graph';

export interface ScaleChildReport {
  projects: number;
  tasks: number;
  edges: number;
  /** Tasks on the longest path, as ranked. */
  criticalPathTasks: number;
  createInnerTaskGraphMs: number;
  rankTasksMs: number;
  planningMs: number;
  /** Resident memory once the modules were loaded, before the project graph was built. */
  baselineRssMb: number;
  /** Resident memory once the project graph was built, before planning. */
  projectGraphRssMb: number;
  /** Peak resident memory of the process (VmHWM; sampled rss where /proc is missing). */
  peakRssMb: number;
}

const MB = 1024 * 1024;

function vmHwmMb(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function main(): void {
  const projects = Number(process.argv[2]);
  if (!Number.isInteger(projects) || projects < 1) throw new Error(`usage: scale-child <projects>`);
  const createInnerTaskGraph = loadCreateInnerTaskGraph();
  const rankTasks = loadRankTasks();
  let sampledPeak = process.memoryUsage().rss;
  const sample = (): void => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  };
  const baselineRssMb = process.memoryUsage().rss / MB;
  const projectGraph = createSyntheticProjectGraph(projects);
  const projectGraphRssMb = process.memoryUsage().rss / MB;
  sample();
  const start = performance.now();
  const inner = createInnerTaskGraph({
    projectGraph,
    nxJson: {},
    projects: ['*'],
    excludeProjects: [],
    targets: ['build'],
    configuration: undefined,
    onlySelected: false,
  });
  const built = performance.now();
  sample();
  const ranking = rankTasks(inner, 'critical-path', () => undefined);
  const end = performance.now();
  sample();
  const report: ScaleChildReport = {
    projects,
    tasks: inner.ids.length,
    criticalPathTasks: ranking.criticalPath.taskIds.length,
    edges: Object.values(inner.dependencies).reduce((sum, list) => sum + list.length, 0),
    createInnerTaskGraphMs: built - start,
    rankTasksMs: end - built,
    planningMs: end - start,
    baselineRssMb,
    projectGraphRssMb,
    peakRssMb: vmHwmMb() ?? sampledPeak / MB,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main();
