/**
 * The captured output of one task, in the order it was written. Up to 1 MiB stays in memory; past
 * that the whole output moves to a temporary file (see spill-directory.ts), so a task printing
 * hundreds of megabytes costs the main process no more memory than a small one.
 *
 * When the file cannot be made or written (TMPDIR full or missing), the task goes on and its output
 * stays in memory, up to `fallbackLimit` characters (64 Mi by default): past that, its head and its
 * tail are kept, with a line in between that says how much was dropped and what to do.
 * `spillFailure` says that it happened, for the one warning of the run.
 */
import { closeSync, ftruncateSync, readFileSync, readSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { BoundedText } from './bounded-text';
import { openSpillFile, type SpillFile } from './spill-directory';

const MEMORY_LIMIT = 1 << 20;
const FALLBACK_LIMIT = 64 << 20;
const READ_BLOCK = 1 << 20;

export interface TaskOutputOptions {
  /** Characters held in memory before the output moves to a file. */
  memoryLimit?: number;
  /** Characters held in memory when the file could not be written. */
  fallbackLimit?: number;
  openSpillFile?: () => SpillFile;
}

/** Why an output is (partly) in memory instead of its file, and how much of it was dropped. */
export interface SpillFailure {
  error: string;
  droppedChars: number;
}

export class TaskOutput {
  private chunks: string[] = [];
  private held = 0;
  /** `bytes`: how much was written to it; a write that failed is cut off again. */
  private file?: SpillFile & { bytes: number };
  /** The output after a spill failed, following what the file holds, if any. */
  private fallback?: { text: BoundedText; error: string };
  private readonly memoryLimit: number;
  private readonly fallbackLimit: number;
  private readonly open: () => SpillFile;

  constructor(options: TaskOutputOptions = {}) {
    this.memoryLimit = options.memoryLimit ?? MEMORY_LIMIT;
    this.fallbackLimit = options.fallbackLimit ?? FALLBACK_LIMIT;
    this.open = options.openSpillFile ?? openSpillFile;
  }

  append(text: string): void {
    if (this.fallback) this.fallback.text.append(text);
    else if (this.file) this.write(text);
    else {
      this.chunks.push(text);
      this.held += text.length;
      if (this.held > this.memoryLimit) this.spill();
    }
  }

  get spillFailure(): SpillFailure | undefined {
    return this.fallback && { error: this.fallback.error, droppedChars: this.fallback.text.dropped };
  }

  /** Hands the whole output to `write`, a block at a time, waiting for each block's promise. */
  async forEachBlock(write: (text: string) => void | Promise<void>): Promise<void> {
    if (!this.file) {
      const text = this.text();
      if (text) await write(text);
      return;
    }
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.alloc(READ_BLOCK);
    for (let position = 0; position < this.file.bytes;) {
      const read = readSync(this.file.fd, buffer, 0, Math.min(READ_BLOCK, this.file.bytes - position), position);
      if (read === 0) break;
      position += read;
      await write(decoder.write(buffer.subarray(0, read)));
    }
    const rest = decoder.end() + this.fallbackText();
    if (rest) await write(rest);
  }

  /**
   * The whole output as one string, wherever it is kept. A spilled output is read in one go, into
   * the string alone (Node decodes a UTF-8 file natively), so it costs its size once more, not in
   * blocks and again joined.
   */
  readAll(): Promise<string> {
    if (!this.file) return Promise.resolve(this.text());
    const fromFile = this.file.bytes ? readFileSync(this.file.path, 'utf8') : '';
    return Promise.resolve(this.fallback ? fromFile + this.fallbackText() : fromFile);
  }

  /** The output held in memory; for a spilled output, read it with `forEachBlock`. */
  text(): string {
    if (this.file) throw new Error('This output is in a file; read it with forEachBlock().');
    if (this.fallback) return this.fallbackText();
    const whole = this.chunks.join('');
    this.chunks = whole ? [whole] : [];
    return whole;
  }

  /** The last `count` lines, for summaries. */
  tail(count: number): string[] {
    const text = this.fallback ? this.fallbackText() : this.file ? this.lastBytes(64 * 1024) : this.text();
    return text.trimEnd().split('\n').slice(-count);
  }

  private fallbackText(): string {
    if (!this.fallback) return '';
    const { error } = this.fallback;
    return this.fallback.text.text(
      (dropped) =>
        `\n[nx-parallel] ${dropped} characters of this output were dropped here: it could not be written to a ` +
        `temporary file (${error}), and at most ${this.fallbackLimit} are kept in memory. Free space in ` +
        `the temporary folder or set TMPDIR to a folder with room.\n`,
    );
  }

  private lastBytes(bytes: number): string {
    if (!this.file) return '';
    const size = this.file.bytes;
    const length = Math.min(bytes, size);
    const buffer = Buffer.alloc(length);
    readSync(this.file.fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  }

  private spill(): void {
    const pending = this.chunks.join('');
    this.chunks = [];
    this.held = 0;
    try {
      this.file = { ...this.open(), bytes: 0 };
    } catch (error) {
      this.fallBack(error, pending);
      return;
    }
    this.write(pending);
  }

  private write(text: string): void {
    const file = this.file as SpillFile & { bytes: number };
    const buffer = Buffer.from(text);
    let written = 0;
    try {
      while (written < buffer.length) {
        written += writeSync(file.fd, buffer, written, buffer.length - written, file.bytes + written);
      }
      file.bytes += written;
    } catch (error) {
      // The file keeps what was written before this text; the text, whole, goes to memory.
      try {
        ftruncateSync(file.fd, file.bytes);
      } catch {
        // A file that cannot be cut is read up to `bytes` only.
      }
      this.fallBack(error, text);
    }
  }

  private fallBack(error: unknown, text: string): void {
    this.fallback = {
      text: new BoundedText(this.fallbackLimit),
      error: error instanceof Error ? error.message : String(error),
    };
    this.fallback.text.append(text);
  }

  /** Closes the file of a spilled output. */
  dispose(): void {
    if (this.file) closeSync(this.file.fd);
    this.file = undefined;
    this.chunks = [];
    this.fallback = undefined;
  }
}
