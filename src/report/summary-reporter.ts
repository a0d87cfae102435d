/**
 * The end summary: succeeded, failed and skipped counts, the failed tasks with their reasons and
 * last lines, wall time and the sum of task times.
 */
import { output } from '@nx/devkit';
import type { Reporter, RunEvent, TaskRecord } from './events';
import { describeResult, formatDuration } from './format';
import { writeOut } from './terminal';

const TAIL_LINES = 10;

export interface RunCounts {
  succeeded: number;
  failed: number;
  skipped: number;
}

export function countResults(records: readonly TaskRecord[]): RunCounts {
  const counts: RunCounts = { succeeded: 0, failed: 0, skipped: 0 };
  for (const { result } of records) counts[result.status]++;
  return counts;
}

export function formatSummary(records: readonly TaskRecord[], wallMs: number): string {
  const counts = countResults(records);
  const taskMs = records.reduce((sum, record) => sum + (record.end - record.start), 0);
  const lines = [
    '',
    `${output.bold('nx-parallel')} ran ${records.length} task${records.length === 1 ? '' : 's'} in ${formatDuration(wallMs)}`,
    `  ${output.colors.green(`${counts.succeeded} succeeded`)}, ${counts.failed ? output.colors.red(`${counts.failed} failed`) : '0 failed'}, ${counts.skipped} skipped`,
    `  wall time ${formatDuration(wallMs)}, sum of task times ${formatDuration(taskMs)}`,
  ];
  const failed = records.filter((record) => record.result.status === 'failed');
  if (failed.length) lines.push('', output.colors.red('  Failed tasks:'));
  for (const record of failed) {
    lines.push(`  - ${record.taskId} (${describeResult(record.result)})`);
    for (const line of record.output.tail(TAIL_LINES)) if (line.trim()) lines.push(output.dim(`      ${line}`));
  }
  return `${lines.join('\n')}\n`;
}

export class SummaryReporter implements Reporter {
  onEvent(event: RunEvent): void {
    if (event.type === 'run-finished') writeOut(formatSummary(event.records, event.end - event.start));
  }
}
