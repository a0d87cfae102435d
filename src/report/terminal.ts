/**
 * Where reporters write, and the live area a TTY shows below the output (see progress-reporter).
 * Every write first erases the live area and redraws it after, so output never mixes with it.
 * Cursor movement uses Node's own `readline` helpers.
 *
 * One terminal is made per run, from a stream, and handed to every reporter: nothing else writes to
 * that stream while the run shows its live area.
 */
import { clearScreenDown, moveCursor } from 'node:readline';

/** What a terminal needs of a stream (`process.stdout`, or a fake one in tests). */
export interface TerminalStream {
  write(text: string, callback?: () => void): boolean;
  isTTY?: boolean;
  columns?: number;
  once(event: 'drain', listener: () => void): unknown;
}

export class Terminal {
  readonly isTTY: boolean;
  private live: string[] = [];
  /** TTY only: the text after the last newline, held until its line ends, so a redraw never splits it. */
  private partial = '';
  private readonly write: (text: string, callback?: () => void) => boolean;
  private readonly sink: NodeJS.WritableStream;

  /**
   * `write` is taken now: the `inline` backend wraps `process.stdout.write` while a task runs, and
   * must never catch what reporters print.
   */
  constructor(private readonly stream: TerminalStream) {
    this.write = stream.write.bind(stream);
    this.isTTY = stream.isTTY === true;
    // readline's helpers only call `write` on the stream they are given.
    this.sink = { write: (data: string) => this.write(data) } as unknown as NodeJS.WritableStream;
  }

  /** Writes text above the live area; resolves at once unless the stream's buffer is full. */
  out(text: string): Promise<void> {
    if (this.isTTY) {
      // Only the new text is searched, so a long line that comes in many pieces costs no more.
      const cut = text.lastIndexOf('\n') + 1;
      if (!cut) {
        this.partial += text;
        return Promise.resolve();
      }
      const held = this.partial;
      this.partial = text.slice(cut);
      text = held + text.slice(0, cut);
    }
    this.erase();
    const flowing = this.write(text);
    this.draw();
    return flowing ? Promise.resolve() : new Promise((resolve) => this.stream.once('drain', () => resolve()));
  }

  /** Replaces the live area (TTY only); an empty list removes it, and writes a held partial line. */
  setLiveArea(lines: readonly string[]): void {
    if (!this.isTTY) return;
    this.erase();
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    // A wrapped line would take two rows and break the erase, so lines are cut to the width.
    this.live = lines.map((line) => (visibleLength(line) > width ? cut(line, width) : line));
    if (!this.live.length) this.writePartial();
    this.draw();
  }

  /**
   * Resolves once everything written so far has been handed to the OS. Nx ends the process as soon
   * as the executor returns, and output still queued on stdout would be lost.
   */
  flush(): Promise<void> {
    if (!this.live.length) this.writePartial();
    return new Promise((resolve) => this.write('', () => resolve()));
  }

  private writePartial(): void {
    if (!this.partial) return;
    this.write(this.partial);
    this.partial = '';
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
