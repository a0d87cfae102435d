/** Picks the reporters for a `taskOutput` style; the summary is always printed. */
import type { Reporter, RunEvent } from './events';
import { GroupedReporter } from './grouped-reporter';
import { StreamReporter } from './stream-reporter';
import { SummaryReporter } from './summary-reporter';

export type TaskOutputStyle = 'grouped' | 'stream' | 'errors-only';

export function createReporters(style: TaskOutputStyle): Reporter[] {
  switch (style) {
    case 'grouped':
      return [new GroupedReporter(false), new SummaryReporter()];
    case 'errors-only':
      return [new GroupedReporter(true), new SummaryReporter()];
    case 'stream':
      return [new StreamReporter(), new SummaryReporter()];
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
