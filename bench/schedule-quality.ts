/**
 * Schedule quality: the real scheduler on a fake pool of timers, `fifo` against `critical-path`
 * (given the true durations, as after one run that filled the history), on 2 and 4 workers. Each
 * makespan is divided by the lower bound max(critical path, total work / workers).
 */
import { performance } from 'node:perf_hooks';
import { rankTasks, type Schedule } from '../src/scheduler/rank-tasks';
import { runScheduler } from '../src/scheduler/scheduler';
import { scheduleSuite, type TimedGraph } from './generated-dags';
import { lowerBound, simulateMakespan } from './list-schedule';
import { fixed, mean, median } from './stats';
import type { Table } from './table';
import { TimerPool } from './timer-pool';

const SCHEDULES: readonly Schedule[] = ['fifo', 'critical-path'];
const WORKERS = [2, 4] as const;
const REPETITIONS = 3;
/** Each graph's lower bound is scaled to about this many milliseconds. */
const TARGET_MS = 400;

export interface ScheduleMeasurement {
  graph: string;
  tasks: number;
  workers: number;
  schedule: Schedule;
  lowerBoundMs: number;
  makespansMs: number[];
  /** Median timed makespan / lower bound. */
  ratio: number;
  /** The same schedule simulated without timer cost / lower bound. */
  simulatedRatio: number;
}

export interface ScheduleQualityResult {
  measurements: ScheduleMeasurement[];
  /** Suite mean of `ratio` per `${schedule}@${workers}`. */
  suiteMeans: Record<string, number>;
  /** Graphs where critical-path was slower than fifo by more than the noise of the timed runs. */
  criticalPathWorse: string[];
}

async function timedMakespan(graph: TimedGraph, workers: number, scale: number, schedule: Schedule): Promise<number> {
  const ranking = rankTasks(graph, schedule, (id) => graph.durations.get(id));
  const pool = new TimerPool(workers, (id) => (graph.durations.get(id) ?? 0) * scale);
  const start = performance.now();
  await runScheduler({ graph, pool, priority: ranking.priority, emit: () => undefined });
  return performance.now() - start;
}

async function measureGraph(graph: TimedGraph, workers: number): Promise<ScheduleMeasurement[]> {
  const bound = lowerBound(graph, graph.durations, workers);
  const scale = Math.max(1, Math.round(TARGET_MS / bound));
  const makespans = new Map<Schedule, number[]>(SCHEDULES.map((schedule) => [schedule, []]));
  // Alternate the schedules so drift of the machine touches both alike.
  for (let i = 0; i < REPETITIONS; i++) {
    for (const schedule of SCHEDULES)
      makespans.get(schedule)?.push(await timedMakespan(graph, workers, scale, schedule));
  }
  return SCHEDULES.map((schedule) => {
    const ranking = rankTasks(graph, schedule, (id) => graph.durations.get(id));
    const runs = makespans.get(schedule) ?? [];
    return {
      graph: graph.name,
      tasks: graph.ids.length,
      workers,
      schedule,
      lowerBoundMs: bound * scale,
      makespansMs: runs,
      ratio: median(runs) / (bound * scale),
      simulatedRatio: simulateMakespan(graph, graph.durations, workers, ranking.priority) / bound,
    };
  });
}

/** Whether `a` is slower than `b` by more than the spread of either's repetitions (and 2%). */
function slowerBeyondNoise(a: ScheduleMeasurement, b: ScheduleMeasurement): boolean {
  const spread = (runs: number[]): number => Math.max(...runs) - Math.min(...runs);
  const noise = Math.max(spread(a.makespansMs), spread(b.makespansMs), 0.02 * median(b.makespansMs));
  return median(a.makespansMs) - median(b.makespansMs) > noise;
}

export async function measureScheduleQuality(): Promise<ScheduleQualityResult> {
  const measurements: ScheduleMeasurement[] = [];
  for (const graph of scheduleSuite()) {
    for (const workers of WORKERS) measurements.push(...(await measureGraph(graph, workers)));
  }
  const suiteMeans: Record<string, number> = {};
  for (const schedule of SCHEDULES) {
    for (const workers of WORKERS) {
      const ratios = measurements.filter((m) => m.schedule === schedule && m.workers === workers).map((m) => m.ratio);
      suiteMeans[`${schedule}@${workers}`] = mean(ratios);
    }
  }
  const criticalPathWorse: string[] = [];
  for (const m of measurements.filter((candidate) => candidate.schedule === 'critical-path')) {
    const fifo = measurements.find((f) => f.schedule === 'fifo' && f.graph === m.graph && f.workers === m.workers);
    if (fifo && slowerBeyondNoise(m, fifo)) criticalPathWorse.push(`${m.graph} on ${m.workers} workers`);
  }
  return { measurements, suiteMeans, criticalPathWorse };
}

export function scheduleQualityTable(result: ScheduleQualityResult): Table {
  const rows: string[][] = [];
  for (const fifo of result.measurements.filter((m) => m.schedule === 'fifo')) {
    const critical = result.measurements.find(
      (m) => m.schedule === 'critical-path' && m.graph === fifo.graph && m.workers === fifo.workers,
    );
    rows.push([
      fifo.graph,
      String(fifo.tasks),
      String(fifo.workers),
      fixed(fifo.lowerBoundMs, 0),
      fixed(fifo.ratio),
      fixed(critical?.ratio ?? NaN),
      fixed(fifo.simulatedRatio),
      fixed(critical?.simulatedRatio ?? NaN),
    ]);
  }
  for (const workers of WORKERS) {
    rows.push([
      `**suite mean**`,
      '',
      String(workers),
      '',
      fixed(result.suiteMeans[`fifo@${workers}`] ?? NaN),
      fixed(result.suiteMeans[`critical-path@${workers}`] ?? NaN),
      '',
      '',
    ]);
  }
  return {
    title: 'Schedule quality: makespan / lower bound (1.00 is optimal)',
    columns: ['graph', 'tasks', 'workers', 'bound ms', 'fifo', 'critical-path', 'fifo (sim)', 'critical-path (sim)'],
    rows,
    notes: [
      `Timed: median of ${REPETITIONS} runs of the real scheduler on timers. Sim: the same priorities in an event simulation without timer cost.`,
      `Critical-path slower than fifo beyond noise: ${result.criticalPathWorse.length ? result.criticalPathWorse.join('; ') : 'on no graph'}.`,
    ],
  };
}
