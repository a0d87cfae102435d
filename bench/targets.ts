/** The performance targets, each checked against the measurements of a run. */
import type { AgainstNxResult } from './against-nx';
import type { OverheadMeasurement } from './overhead';
import type { ScaleMeasurement } from './scale';
import type { ScaleChildReport } from './scale-child';
import type { ScheduleQualityResult } from './schedule-quality';
import { fixed } from './stats';
import type { Table } from './table';

export interface Measurements {
  againstNx: AgainstNxResult;
  scheduleQuality: ScheduleQualityResult;
  overhead: OverheadMeasurement[];
  scale: ScaleMeasurement[];
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export function checkTargets(m: Measurements): TargetCheck[] {
  const atTwo = m.againstNx.measurements.find((x) => x.workers === 2);
  const criticalMeans = Object.entries(m.scheduleQuality.suiteMeans).filter(([key]) => key.startsWith('critical-path'));
  const pools = m.overhead.filter((x) => x.runner !== 'direct');
  const largest = m.scale
    .map((size) => size.median)
    .reduce<ScaleChildReport | undefined>((a, b) => (!a || b.tasks > a.tasks ? b : a), undefined);
  return [
    {
      target: 'Against Nx at N=2: nx-parallel / run-many <= 0.25',
      measured: atTwo ? fixed(atTwo.ratio) : 'not measured',
      met: atTwo !== undefined && atTwo.ratio <= 0.25,
    },
    {
      target: 'critical-path suite mean <= 1.10 x lower bound',
      measured: criticalMeans.map(([key, value]) => `${fixed(value)} (${key.split('@')[1]} workers)`).join(', '),
      met: criticalMeans.length > 0 && criticalMeans.every(([, value]) => value <= 1.1),
    },
    {
      target: 'critical-path never worse than fifo beyond noise',
      measured: m.scheduleQuality.criticalPathWorse.length
        ? `worse on ${m.scheduleQuality.criticalPathWorse.join('; ')}`
        : 'worse on no graph',
      met: m.scheduleQuality.criticalPathWorse.length === 0,
    },
    {
      target: 'Pool adds <= 1 ms per task',
      measured: pools.map((x) => `${x.runner} ${fixed(x.addedMsPerTask, 3)} ms`).join(', '),
      met: pools.length > 0 && pools.every((x) => x.addedMsPerTask <= 1),
    },
    {
      target: 'Planning 20,000 tasks <= 2 s, main process < 300 MB',
      measured: largest
        ? `${largest.tasks} tasks: ${fixed(largest.planningMs, 0)} ms, peak ${fixed(largest.peakRssMb, 0)} MB`
        : 'not measured',
      met: largest !== undefined && largest.tasks >= 20_000 && largest.planningMs <= 2000 && largest.peakRssMb < 300,
    },
  ];
}

export function targetsTable(checks: readonly TargetCheck[]): Table {
  return {
    title: 'Targets',
    columns: ['target', 'measured', 'met'],
    rows: checks.map((check) => [check.target, check.measured, check.met ? 'yes' : '**no**']),
  };
}
