/**
 * Progress while tasks run. On a TTY: a live area below the output with done/total, the running
 * tasks and their elapsed time, and the time left as estimated from recorded durations. Without a
 * TTY (CI): one line per finished task with its status, duration and worker. Both print that line
 * for every finished task (✔, ✖, or - with the reason it was skipped or not started).
 */
import { output } from '@nx/devkit';
import type { Reporter, RunEvent, TaskRecord } from './events';
import { describeResult, formatDuration } from './format';
import type { Terminal } from './terminal';

const SHOWN_RUNNING = 8;
const REFRESH_MS = 1000;

/** The outcome of a finished task, with its reason when it did not succeed. */
export function describeOutcome(record: TaskRecord): string {
  const { result } = record;
  const worker = record.workerId ? ` on ${record.workerId}` : '';
  const took = `in ${formatDuration(record.end - record.start)}${worker}`;
  switch (result.status) {
    case 'succeeded':
      return result.cached ? `from the ${result.cached} cache` : `succeeded ${took}`;
    case 'failed':
      return `failed ${took} (${describeResult(result).replace(/^failed: /, '')})`;
    case 'skipped':
      return describeResult(result);
    default: {
      const never: never = result;
      return never;
    }
  }
}

function statusMark(record: TaskRecord): string {
  switch (record.result.status) {
    case 'succeeded':
      return output.colors.green('✔');
    case 'failed':
      return output.colors.red('✖');
    case 'skipped':
      return output.dim('-');
    default: {
      const never: never = record.result;
      return never;
    }
  }
}

export class ProgressReporter implements Reporter {
  private taskIds: readonly string[] = [];
  private total = 0;
  private done = 0;
  private workers = 1;
  private readonly running = new Map<string, number>();
  private recorded: ReadonlyMap<string, number> = new Map();
  private fallbackMs = 0;
  private readonly finished = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly terminal: Terminal,
    private readonly now: () => number = Date.now,
  ) {}

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'run-started':
        this.taskIds = event.taskIds;
        this.total = event.taskIds.length;
        this.workers = event.workers;
        this.recorded = event.recordedMs;
        this.fallbackMs = median([...event.recordedMs.values()]);
        if (this.terminal.isTTY) {
          this.timer = setInterval(() => this.render(), REFRESH_MS);
          this.timer.unref();
        }
        break;
      case 'workers-changed':
        this.workers = event.workers;
        break;
      case 'task-started':
        this.running.set(event.taskId, this.now());
        break;
      case 'task-finished':
        this.running.delete(event.record.taskId);
        this.finished.add(event.record.taskId);
        this.done++;
        this.printLine(event.record);
        break;
      case 'run-finished':
        clearInterval(this.timer);
        this.terminal.setLiveArea([]);
        return;
      case 'task-output':
      case 'notice':
        return;
      default: {
        const never: never = event;
        return never;
      }
    }
    this.render();
  }

  /** The live area's lines, for a TTY. */
  liveArea(): string[] {
    const now = this.now();
    const left = this.estimateLeftMs(now);
    const head = [
      `${this.done}/${this.total} done`,
      `${this.running.size} running`,
      ...(left === undefined ? [] : [`about ${formatDuration(left)} left`]),
    ].join(' · ');
    const running = [...this.running.entries()]
      .slice(0, SHOWN_RUNNING)
      .map(([taskId, start]) => `  ${output.dim('›')} ${taskId} ${output.dim(formatDuration(now - start))}`);
    const more =
      this.running.size > SHOWN_RUNNING ? [output.dim(`  … and ${this.running.size - SHOWN_RUNNING} more`)] : [];
    return [`${output.bold('nx-parallel')} ${head}`, ...running, ...more];
  }

  /** Time left: the estimated work not done yet, spread over the workers. */
  private estimateLeftMs(now: number): number | undefined {
    if (!this.recorded.size) return undefined;
    let work = 0;
    for (const taskId of this.taskIds) {
      if (this.finished.has(taskId)) continue;
      // A task that never ran before counts as the median of those that did.
      const estimate = this.recorded.get(taskId) ?? this.fallbackMs;
      const start = this.running.get(taskId);
      work += start === undefined ? estimate : Math.max(0, estimate - (now - start));
    }
    return work / Math.max(1, this.workers);
  }

  private render(): void {
    if (this.terminal.isTTY) this.terminal.setLiveArea(this.liveArea());
  }

  private printLine(record: TaskRecord): void {
    const counter = output.dim(`[${this.done}/${this.total}]`);
    void this.terminal.out(`${counter} ${statusMark(record)} ${record.taskId} ${describeOutcome(record)}\n`);
  }
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? 0;
}
