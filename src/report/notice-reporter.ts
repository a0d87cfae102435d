/** Prints warnings and notices above the live area, whatever the `taskOutput` style. */
import type { Reporter, RunEvent } from './events';
import { formatNotice } from './format-notice';
import type { Terminal } from './terminal';

export class NoticeReporter implements Reporter {
  constructor(private readonly terminal: Terminal) {}

  onEvent(event: RunEvent): void {
    if (event.type === 'notice') void this.terminal.out(formatNotice(event.notice));
  }
}
