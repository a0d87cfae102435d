/**
 * A task's output on a worker, on its way back to the coordinator: sent live in chunks while the
 * task runs (up to a limit), and whole in the job's result (which Redis holds), kept up to a cap:
 * beyond it, the beginning and the end with a note between.
 */
const CAP_CHARS = 8 << 20;
/** Live chunks stop here; the result brings the rest. Below CAP_CHARS / 2, so live output is a prefix of text(). */
const LIVE_LIMIT_CHARS = 1 << 20;
const LIVE_INTERVAL_MS = 250;

/** A chunk of live output: the characters from `from` on, of the attempt `attempt`. */
export interface OutputChunk {
  attempt: string;
  from: number;
  text: string;
}

export class JobOutput {
  private head = '';
  private tail = '';
  private dropped = 0;
  private unsent = '';
  private sent = 0;
  private readonly timer: NodeJS.Timeout | undefined;

  /** With `send`, output goes live every 250 ms until close(). */
  constructor(private readonly send?: (from: number, text: string) => void) {
    if (send) this.timer = setInterval(() => this.flush(), LIVE_INTERVAL_MS);
  }

  append(text: string): void {
    if (this.send) this.unsent += text.slice(0, Math.max(0, LIVE_LIMIT_CHARS - this.sent - this.unsent.length));
    if (this.head.length < CAP_CHARS / 2) {
      const room = CAP_CHARS / 2 - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (!text) return;
    this.tail += text;
    if (this.tail.length > CAP_CHARS / 2) {
      const cut = this.tail.length - CAP_CHARS / 2;
      this.dropped += cut;
      this.tail = this.tail.slice(cut);
    }
  }

  /** Stops sending live output; what was not sent comes with the result. */
  close(): void {
    clearInterval(this.timer);
  }

  text(): string {
    if (!this.dropped) return this.head + this.tail;
    return `${this.head}\n[nx-parallel] ${this.dropped} characters of output left out here.\n${this.tail}`;
  }

  private flush(): void {
    if (!this.unsent || !this.send) return;
    const text = this.unsent;
    this.unsent = '';
    this.send(this.sent, text);
    this.sent += text.length;
  }
}

/**
 * The coordinator's side: prints the live chunks of the current attempt in order, then what the
 * result has beyond them. A lost or repeated chunk stops the live output; the result fills it in.
 */
export class ShownOutput {
  private attempt: string | undefined;
  private shown = 0;
  private broken = false;

  constructor(private readonly print: (text: string) => void) {}

  chunk({ attempt, from, text }: OutputChunk): void {
    this.switchTo(attempt);
    if (this.broken || from !== this.shown) {
      this.broken = true;
      return;
    }
    this.print(text);
    this.shown += text.length;
  }

  /** The whole output, from the job's result. */
  finish(attempt: string | undefined, output: string): void {
    this.switchTo(attempt);
    const rest = output.slice(this.shown);
    if (rest) this.print(rest);
  }

  private switchTo(attempt: string | undefined): void {
    if (attempt === this.attempt) return;
    if (this.shown > 0) this.print('\n[nx-parallel] The task started again; its output from the start:\n');
    this.attempt = attempt;
    this.shown = 0;
    this.broken = false;
  }
}
