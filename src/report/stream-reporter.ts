/** `stream` output: each line as it comes, prefixed with its task id. */
import { output } from '@nx/devkit';
import type { Reporter, RunEvent } from './events';
import type { Terminal } from './terminal';
import { failureText } from './failure-text';

export class StreamReporter implements Reporter {
  /** The unfinished last line of each running task. */
  private readonly partial = new Map<string, string>();

  constructor(private readonly terminal: Terminal) {}

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'task-output': {
        const text = (this.partial.get(event.taskId) ?? '') + event.text;
        const cut = text.lastIndexOf('\n');
        this.partial.set(event.taskId, text.slice(cut + 1));
        if (cut >= 0) this.print(event.taskId, text.slice(0, cut));
        return;
      }
      case 'task-finished': {
        const { taskId, result } = event.record;
        const rest = this.partial.get(taskId);
        this.partial.delete(taskId);
        if (rest) this.print(taskId, rest);
        const message = result.status === 'failed' ? failureText(result) : undefined;
        if (message) this.print(taskId, message);
        return;
      }
      default:
        return;
    }
  }

  private print(taskId: string, text: string): void {
    const prefix = output.dim(`${taskId}:`);
    void this.terminal.out(
      text
        .split('\n')
        .map((line) => `${prefix} ${line}\n`)
        .join(''),
    );
  }
}
