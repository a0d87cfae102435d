/** The plan a dry run prints: dispatch order, levels, estimates, cache status and the critical path. */
import { output } from '@nx/devkit';
import type { CacheStatus } from '../cache/nx-cache';
import { formatDuration } from './format';

export interface PlanView {
  tasks: ReadonlyArray<{ taskId: string; level: number; estimatedMs: number; cache: CacheStatus | 'off' }>;
  criticalPath: { taskIds: readonly string[]; estimatedMs: number };
  estimatedMs: number;
  workers: number;
  backend: string;
  schedule: string;
  /** Without recorded durations the estimates are task counts, not times. */
  hasHistory: boolean;
  /** Why the cache is off, when it is. */
  cacheOff?: string;
}

const CACHE_COLUMN: Readonly<Record<CacheStatus | 'off', string>> = {
  local: 'local',
  remote: 'remote',
  miss: 'miss',
  'not-cacheable': 'no-cache',
  off: '-',
};

export function formatPlan(plan: PlanView): string {
  const time = (ms: number): string => (plan.hasHistory ? formatDuration(ms) : '-');
  const width = String(plan.tasks.length).length;
  const lines = [
    '',
    `${output.bold('nx-parallel')} dry run: ${plan.tasks.length} task${plan.tasks.length === 1 ? '' : 's'} on ${plan.workers} worker${plan.workers === 1 ? '' : 's'} (${plan.backend}), schedule ${plan.schedule}; nothing is run`,
    '',
    `  ${'#'.padStart(width)}  level  estimate  cache     task`,
    ...plan.tasks.map(
      (task, i) =>
        `  ${String(i + 1).padStart(width)}  ${String(task.level).padStart(5)}  ${time(task.estimatedMs).padStart(8)}  ${CACHE_COLUMN[task.cache].padEnd(8)}  ${task.taskId}`,
    ),
    '',
    plan.hasHistory
      ? `  critical path, estimated ${formatDuration(plan.criticalPath.estimatedMs)}: ${plan.criticalPath.taskIds.join(' -> ')}`
      : `  critical path, ${plan.criticalPath.taskIds.length} tasks (no recorded durations yet): ${plan.criticalPath.taskIds.join(' -> ')}`,
  ];
  if (plan.hasHistory) lines.push(`  estimated wall time ${formatDuration(plan.estimatedMs)}`);
  const hits = plan.tasks.filter((task) => task.cache === 'local' || task.cache === 'remote').length;
  lines.push(
    plan.cacheOff
      ? `  cache off (${plan.cacheOff})`
      : `  cache: ${hits} of ${plan.tasks.length} task${plan.tasks.length === 1 ? '' : 's'} would be restored, not run`,
  );
  return `${lines.join('\n')}\n`;
}
