/**
 * Picks the reporters for a `taskOutput` style, all writing to the run's one terminal; progress,
 * notices and the summary are always shown. Progress comes first, so that its live area is gone
 * before the summary is printed.
 */
import type { Reporter, RunEvent } from './events';
import { GroupedReporter } from './grouped-reporter';
import { StreamReporter } from './stream-reporter';
import { ProgressReporter } from './progress-reporter';
import { NoticeReporter } from './notice-reporter';
import { SummaryReporter } from './summary-reporter';
import type { Terminal } from './terminal';

export type TaskOutputStyle = 'grouped' | 'stream' | 'errors-only';

function createOutputReporter(style: TaskOutputStyle, terminal: Terminal): Reporter {
  switch (style) {
    case 'grouped':
      return new GroupedReporter(terminal, false);
    case 'errors-only':
      return new GroupedReporter(terminal, true);
    case 'stream':
      return new StreamReporter(terminal);
    default: {
      const never: never = style;
      return never;
    }
  }
}

export function createReporters(style: TaskOutputStyle, terminal: Terminal): Reporter[] {
  return [
    new ProgressReporter(terminal),
    new NoticeReporter(terminal),
    createOutputReporter(style, terminal),
    new SummaryReporter(terminal),
  ];
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
