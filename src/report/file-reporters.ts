/** Reporters that write files at the end of a run: the summary (`summaryFile`) and the trace (`profileFile`). */
import { isAbsolute, join } from 'node:path';
import { writeFileAtomic } from '../state/atomic-write';
import type { Reporter, RunEvent } from './events';
import { buildRunSummary } from './run-summary';
import { buildTrace } from './trace';

type Started = Extract<RunEvent, { type: 'run-started' }>;
type Finished = Extract<RunEvent, { type: 'run-finished' }>;

/** A relative path is relative to the workspace root. */
export function resolveOutputPath(root: string, path: string): string {
  return isAbsolute(path) ? path : join(root, path);
}

class EndOfRunFileReporter implements Reporter {
  private started?: Started;

  constructor(
    private readonly path: string,
    private readonly render: (started: Started, finished: Finished) => unknown,
  ) {}

  onEvent(event: RunEvent): void {
    if (event.type === 'run-started') this.started = event;
    // The summary's `workers`: the most that could run at once, as the pool said.
    if (event.type === 'workers-changed' && this.started && event.workers > this.started.workers) {
      this.started = { ...this.started, workers: event.workers };
    }
    if (event.type === 'run-finished' && this.started) {
      writeFileAtomic(this.path, `${JSON.stringify(this.render(this.started, event), null, 2)}\n`);
    }
  }
}

export function createSummaryFileReporter(path: string): Reporter {
  return new EndOfRunFileReporter(path, buildRunSummary);
}

export function createTraceFileReporter(path: string): Reporter {
  return new EndOfRunFileReporter(path, (started, finished) => buildTrace(finished.records, started.start));
}
