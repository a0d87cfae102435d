/**
 * Picks the reporters for a `taskOutput` style; progress and the summary are always shown. Progress
 * comes first, so that its live area is gone before the summary is printed.
 */
import type { Reporter, RunEvent } from './events';
import { GroupedReporter } from './grouped-reporter';
import { StreamReporter } from './stream-reporter';
import { ProgressReporter } from './progress-reporter';
import { SummaryReporter } from './summary-reporter';
import { terminal } from './terminal';

export type TaskOutputStyle = 'grouped' | 'stream' | 'errors-only';

export function createReporters(style: TaskOutputStyle): Reporter[] {
  switch (style) {
    case 'grouped':
      return [new ProgressReporter(terminal), new GroupedReporter(false), new SummaryReporter()];
    case 'errors-only':
      return [new ProgressReporter(terminal), new GroupedReporter(true), new SummaryReporter()];
    case 'stream':
      return [new ProgressReporter(terminal), new StreamReporter(), new SummaryReporter()];
    default: {
      const never: never = style;
      return never;
    }
  }
}

/**
 * Sends each event to every reporter. Only a reporter that must be waited for (a task block being
 * written out) makes it return a promise, so the many `task-output` events stay synchronous.
 */
export function broadcast(reporters: readonly Reporter[]): (event: RunEvent) => void | Promise<void> {
  return (event) => {
    const pending = reporters.map((reporter) => reporter.onEvent(event)).filter((result) => result !== undefined);
    return pending.length ? Promise.all(pending).then(() => undefined) : undefined;
  };
}
