/** Picks the reporters for a `taskOutput` style; the summary is always printed. */
import type { Reporter } from './events';
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
