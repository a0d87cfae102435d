/**
 * The plan of a dry run as JSON (`--dryRun --summaryFile=<path>`), as Turborepo's `--dry=json`:
 * each task's hash, cache status, rank, level, estimate and dependencies. `plan.schema.json` in the
 * package is its JSON Schema.
 */
import type { CacheStatus } from '../cache/nx-cache';
import type { TaskDescription } from './events';

export const PLAN_FILE_VERSION = 1;

export interface PlannedTaskView extends TaskDescription {
  /** 1 is dispatched first. */
  rank: number;
  level: number;
  estimatedMs: number;
  /** When the task would start, in estimated milliseconds from the start of the run. */
  startMs: number;
  /** undefined: the cache is off for this run. */
  hash: string | undefined;
  cache: CacheStatus | 'off';
  dependencies: readonly string[];
}

export interface PlanFileInput {
  tasks: readonly PlannedTaskView[];
  criticalPath: { taskIds: readonly string[]; estimatedMs: number };
  estimatedMs: number;
  hasHistory: boolean;
  workers: number;
  backend: string;
  schedule: string;
  /** Why the cache is off, when it is. */
  cacheOff: string | undefined;
}

export function buildPlanFile(plan: PlanFileInput): object {
  const onPath = new Set(plan.criticalPath.taskIds);
  return {
    version: PLAN_FILE_VERSION,
    kind: 'plan',
    run: {
      workers: plan.workers,
      backend: plan.backend,
      schedule: plan.schedule,
      hasHistory: plan.hasHistory,
      estimatedMs: plan.hasHistory ? plan.estimatedMs : null,
      cache: plan.cacheOff ? { enabled: false, reason: plan.cacheOff } : { enabled: true, reason: null },
    },
    criticalPath: {
      taskIds: plan.criticalPath.taskIds,
      estimatedMs: plan.hasHistory ? plan.criticalPath.estimatedMs : null,
    },
    tasks: plan.tasks.map((task) => ({
      id: task.taskId,
      project: task.project,
      target: task.target,
      configuration: task.configuration ?? null,
      rank: task.rank,
      level: task.level,
      estimatedMs: plan.hasHistory ? task.estimatedMs : null,
      startMs: plan.hasHistory ? task.startMs : null,
      hash: task.hash ?? null,
      cache: task.cache,
      onCriticalPath: onPath.has(task.taskId),
      dependencies: task.dependencies,
    })),
  };
}
