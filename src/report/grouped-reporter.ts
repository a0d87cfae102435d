/**
 * `grouped` and `errors-only` output: each task's output as one block under `> nx run <taskId>`,
 * printed whole when the task finishes, so the output of tasks never interleaves.
 */
import { output } from '@nx/devkit';
import type { Reporter, RunEvent, TaskRecord } from './events';
import { failureText } from './failure-text';
import { ensureNewline, taskHeader } from './format';
import type { Terminal } from './terminal';

/** Writes a task's block: the header, its output (read a block at a time), its failure message. */
export async function writeTaskBlock(record: TaskRecord, write: (text: string) => void | Promise<void>): Promise<void> {
  const { result } = record;
  const mark = result.status === 'succeeded' ? result.cached : result.status === 'failed' ? 'failed' : undefined;
  await write(`\n${taskHeader(record.taskId, mark)}\n\n`);
  let last = '';
  await record.output.forEachBlock(async (text) => {
    if (text) last = text;
    await write(text);
  });
  if (last && !last.endsWith('\n')) await write('\n');
  const message = result.status === 'failed' ? failureText(result) : undefined;
  if (message) await write(ensureNewline(output.colors.red(message)));
}

export class GroupedReporter implements Reporter {
  constructor(
    private readonly terminal: Terminal,
    private readonly errorsOnly: boolean,
  ) {}

  onEvent(event: RunEvent): Promise<void> | undefined {
    if (event.type !== 'task-finished') return undefined;
    const { status } = event.record.result;
    if (status === 'skipped' || (this.errorsOnly && status !== 'failed')) return undefined;
    return writeTaskBlock(event.record, (text) => this.terminal.out(text));
  }
}
