/**
 * `grouped` and `errors-only` output: each task's output as one block under `> nx run <taskId>`,
 * printed whole when the task finishes, so the output of tasks never interleaves.
 */
import { output } from '@nx/devkit';
import type { Reporter, RunEvent, TaskRecord } from './events';
import { ensureNewline, taskHeader } from './format';
import { writeOut } from './terminal';

export function formatTaskBlock(record: TaskRecord): string {
  const { result } = record;
  const body = ensureNewline(record.output.text());
  const failure = result.status === 'failed' && result.message ? ensureNewline(output.colors.red(result.message)) : '';
  return `\n${taskHeader(record.taskId)}\n\n${body}${failure}`;
}

export class GroupedReporter implements Reporter {
  constructor(private readonly errorsOnly: boolean) {}

  onEvent(event: RunEvent): void {
    if (event.type !== 'task-finished') return;
    const { status } = event.record.result;
    if (status === 'skipped' || (this.errorsOnly && status !== 'failed')) return;
    writeOut(formatTaskBlock(event.record));
  }
}
