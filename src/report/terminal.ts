/**
 * Where reporters write, and the live area a TTY shows below the output (see progress-reporter).
 * Every write first erases the live area and redraws it after, so task output never mixes with it.
 * Cursor movement uses Node's own `readline` helpers.
 *
 * The `write` function is taken when this module loads, so that output capture of the `inline`
 * backend (which wraps `process.stdout.write` while a task runs) never catches what reporters print.
 */
import { clearScreenDown, moveCursor } from 'node:readline';

type Write = (text: string, callback?: () => void) => boolean;

export class Terminal {
  private live: string[] = [];
  private readonly sink: NodeJS.WritableStream;

  constructor(
    private readonly write: Write,
    readonly isTTY: boolean,
    private readonly columns: () => number,
    private readonly drained: () => Promise<void>,
  ) {
    // readline's helpers only call `write` on the stream they are given.
    this.sink = { write: (data: string) => this.write(data) } as unknown as NodeJS.WritableStream;
  }

  /** Writes text above the live area; resolves at once unless the stream's buffer is full. */
  out(text: string): Promise<void> {
    this.erase();
    const flowing = this.write(text);
    this.draw();
    return flowing ? Promise.resolve() : this.drained();
  }

  /** Replaces the live area (TTY only); an empty list removes it. */
  setLiveArea(lines: readonly string[]): void {
    if (!this.isTTY) return;
    this.erase();
    const width = Math.max(20, this.columns() - 1);
    // A wrapped line would take two rows and break the erase, so lines are cut to the width.
    this.live = lines.map((line) => (visibleLength(line) > width ? cut(line, width) : line));
    this.draw();
  }

  /** Resolves once everything written so far has been handed to the OS. */
  flush(): Promise<void> {
    return new Promise((resolve) => this.write('', () => resolve()));
  }

  private erase(): void {
    if (!this.live.length) return;
    moveCursor(this.sink, 0, -this.live.length);
    clearScreenDown(this.sink);
  }

  private draw(): void {
    if (this.live.length) this.write(`${this.live.join('\n')}\n`);
  }
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

function visibleLength(line: string): number {
  return line.replace(ANSI, '').length;
}

function cut(line: string, width: number): string {
  return `${line.replace(ANSI, '').slice(0, width - 1)}…`;
}

export const terminal = new Terminal(
  process.stdout.write.bind(process.stdout),
  process.stdout.isTTY === true,
  () => process.stdout.columns || 80,
  () => new Promise((resolve) => process.stdout.once('drain', () => resolve())),
);

export function writeOut(text: string): void {
  void terminal.out(text);
}

/** Writes, and waits while stdout's buffer is full, so large output is never all held in memory. */
export function writeOutPaced(text: string): Promise<void> {
  return terminal.out(text);
}

/**
 * Resolves once everything written so far has been handed to the OS. Nx ends the process as soon
 * as the executor returns, and output still queued on stdout would be lost.
 */
export function flushOut(): Promise<void> {
  return terminal.flush();
}
