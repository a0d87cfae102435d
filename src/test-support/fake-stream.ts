/** A stream for a Terminal in tests: keeps what is written, cursor movements included. */
import type { TerminalStream } from '../report/terminal';

export class FakeStream implements TerminalStream {
  written = '';
  readonly isTTY: boolean;
  readonly columns: number;

  constructor({ isTTY, columns = 80 }: { isTTY: boolean; columns?: number }) {
    this.isTTY = isTTY;
    this.columns = columns;
  }

  write(text: string, callback?: () => void): boolean {
    this.written += text;
    callback?.();
    return true;
  }

  once(): this {
    return this;
  }
}
