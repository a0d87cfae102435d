/**
 * The end summary: succeeded, failed and skipped counts; wall time, the sum of task times and the
 * speed-up; the run's critical path and slowest tasks; the failed tasks with their reasons and
 * last lines; the skipped and not-started tasks with their reasons.
 */
import { output } from '@nx/devkit';
import type { Reporter, RunEvent, TaskRecord } from './events';
import { failureText } from './failure-text';
import { describeResult, formatDuration } from './format';
import { criticalPathOfRun, slowestTasks } from './run-analysis';
import type { Terminal } from './terminal';

const TAIL_LINES = 10;
const SLOWEST = 3;

export interface RunCounts {
  succeeded: number;
  /** Of the succeeded, those taken from the cache. */
  cached: number;
  failed: number;
  skipped: number;
}

export function countResults(records: readonly TaskRecord[]): RunCounts {
  const counts: RunCounts = { succeeded: 0, cached: 0, failed: 0, skipped: 0 };
  for (const { result } of records) {
    counts[result.status]++;
    if (result.status === 'succeeded' && result.cached) counts.cached++;
  }
  return counts;
}

export function formatSummary(
  records: readonly TaskRecord[],
  wallMs: number,
  dependencies: Readonly<Record<string, readonly string[]>>,
): string {
  const counts = countResults(records);
  const taskMs = records.reduce((sum, record) => sum + (record.end - record.start), 0);
  const lines = [
    '',
    `${output.bold('nx-parallel')} ran ${records.length} task${records.length === 1 ? '' : 's'} in ${formatDuration(wallMs)}`,
    `  ${output.colors.green(`${counts.succeeded} succeeded`)}${counts.cached ? ` (${counts.cached} from cache)` : ''}, ${counts.failed ? output.colors.red(`${counts.failed} failed`) : '0 failed'}, ${counts.skipped} skipped`,
    `  wall time ${formatDuration(wallMs)}, sum of task times ${formatDuration(taskMs)}` +
      (wallMs > 0 && taskMs > 0 ? `, speed-up ${(taskMs / wallMs).toFixed(1)}x` : ''),
  ];
  const queuedMs = records.reduce((sum, record) => sum + (record.queuedMs ?? 0), 0);
  if (queuedMs > 0)
    lines.push(`  time queued ${formatDuration(queuedMs)} (waiting for a free agent; not in task times)`);
  const path = criticalPathOfRun(records, dependencies);
  if (path.taskIds.length) {
    lines.push(`  critical path ${formatDuration(path.ms)}: ${path.taskIds.join(' -> ')}`);
  }
  const slowest = slowestTasks(records, SLOWEST);
  if (slowest.length > 1) {
    lines.push(
      `  slowest: ${slowest.map((record) => `${record.taskId} ${formatDuration(record.end - record.start)}`).join(', ')}`,
    );
  }
  const failed = records.filter((record) => record.result.status === 'failed');
  if (failed.length) lines.push('', output.colors.red('  Failed tasks:'));
  for (const record of failed) {
    lines.push(`  - ${record.taskId} (${describeResult(record.result)})`);
    const message = record.result.status === 'failed' ? failureText(record.result)?.split('\n')[0] : undefined;
    if (message) lines.push(`      ${message}`);
    for (const line of record.output.tail(TAIL_LINES)) if (line.trim()) lines.push(output.dim(`      ${line}`));
  }
  const skipped = records.filter(
    (record) => record.result.status === 'skipped' && record.result.reason !== 'run-stopped',
  );
  if (skipped.length) lines.push('', '  Skipped:');
  for (const record of skipped) lines.push(`  - ${record.taskId} (${describeResult(record.result)})`);
  const notStarted = records.filter(
    (record) => record.result.status === 'skipped' && record.result.reason === 'run-stopped',
  );
  if (notStarted.length) lines.push('', '  Not started:');
  for (const record of notStarted) lines.push(`  - ${record.taskId} (${describeResult(record.result)})`);
  return `${lines.join('\n')}\n`;
}

export class SummaryReporter implements Reporter {
  private dependencies: Readonly<Record<string, readonly string[]>> = {};

  constructor(private readonly terminal: Terminal) {}

  onEvent(event: RunEvent): void {
    if (event.type === 'run-started') this.dependencies = event.dependencies;
    if (event.type === 'run-finished')
      void this.terminal.out(formatSummary(event.records, event.end - event.start, this.dependencies));
  }
}
