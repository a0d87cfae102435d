/**
 * The captured output of one task, in the order it was written. Up to 1 MiB stays in memory; past
 * that the whole output moves to a temporary file, so a task printing hundreds of megabytes costs
 * the main process no more memory than a small one.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync, fstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

const MEMORY_LIMIT = 1 << 20;
const READ_BLOCK = 1 << 20;

let spillDirectory: string | undefined;
let spillCount = 0;

function spillPath(): string {
  spillDirectory ??= mkdtempSync(join(tmpdir(), 'nx-parallel-output-'));
  return join(spillDirectory, `${spillCount++}.log`);
}

/** Removes the temporary files of this process's task outputs. */
export function removeSpilledOutput(): void {
  if (spillDirectory) rmSync(spillDirectory, { recursive: true, force: true });
  spillDirectory = undefined;
}

export class TaskOutput {
  private chunks: string[] = [];
  private held = 0;
  private file?: { fd: number; path: string };

  append(text: string): void {
    if (this.file) {
      writeSync(this.file.fd, text);
      return;
    }
    this.chunks.push(text);
    this.held += text.length;
    if (this.held > MEMORY_LIMIT) this.spill();
  }

  /** Hands the whole output to `write`, a block at a time, waiting for each block's promise. */
  async forEachBlock(write: (text: string) => void | Promise<void>): Promise<void> {
    if (!this.file) {
      if (this.chunks.length) await write(this.text());
      return;
    }
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.alloc(READ_BLOCK);
    for (let position = 0; ;) {
      const read = readSync(this.file.fd, buffer, 0, READ_BLOCK, position);
      if (read === 0) break;
      position += read;
      await write(decoder.write(buffer.subarray(0, read)));
    }
    const rest = decoder.end();
    if (rest) await write(rest);
  }

  /** The whole output as one string, wherever it is kept. */
  async readAll(): Promise<string> {
    const blocks: string[] = [];
    await this.forEachBlock((text) => {
      blocks.push(text);
    });
    return blocks.join('');
  }

  /** The output held in memory; for a spilled output, read it with `forEachBlock`. */
  text(): string {
    if (this.file) throw new Error('This output is in a file; read it with forEachBlock().');
    const whole = this.chunks.join('');
    this.chunks = whole ? [whole] : [];
    return whole;
  }

  /** The last `count` lines, for summaries. */
  tail(count: number): string[] {
    const text = this.file ? this.lastBytes(64 * 1024) : this.text();
    return text.trimEnd().split('\n').slice(-count);
  }

  private lastBytes(bytes: number): string {
    if (!this.file) return '';
    const size = fstatSync(this.file.fd).size;
    const length = Math.min(bytes, size);
    const buffer = Buffer.alloc(length);
    readSync(this.file.fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  }

  private spill(): void {
    const path = spillPath();
    this.file = { fd: openSync(path, 'w+'), path };
    writeSync(this.file.fd, this.chunks.join(''));
    this.chunks = [];
    this.held = 0;
  }

  /** Closes the file of a spilled output. */
  dispose(): void {
    if (this.file) closeSync(this.file.fd);
    this.file = undefined;
    this.chunks = [];
  }
}
