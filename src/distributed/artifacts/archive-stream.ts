/**
 * Archives travel as streams, never whole in memory: hashed as they pass, and spooled to a temp file
 * where the whole is needed (a restore reads the archive three times, a single S3 PutObject needs
 * its length before its body).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** At most `bytes` pass; past them the stream fails with `error()`. */
export interface StreamLimit {
  bytes: number;
  error: () => Error;
}

/** Passes the bytes through unchanged, and counts and hashes them (sha256) on the way. */
export class Digest extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');

  constructor(private readonly limit?: StreamLimit) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.limit && this.bytes > this.limit.bytes) return callback(this.limit.error());
    this.hash.update(chunk);
    callback(null, chunk);
  }

  /** Hex; call once, after the stream ended. */
  sha256(): string {
    return this.hash.digest('hex');
  }
}

export interface SpooledArchive {
  path: string;
  bytes: number;
  sha256: string;
  /** Removes the file; call once done with it. */
  remove(): Promise<void>;
}

/** Writes the stream to a file of its own in the OS temp dir; rejects with the stream's error. */
export async function spoolToTempFile(source: Readable, limit?: StreamLimit): Promise<SpooledArchive> {
  const folder = await mkdtemp(join(tmpdir(), 'nx-parallel-archive-'));
  const remove = (): Promise<void> => rm(folder, { recursive: true, force: true });
  const path = join(folder, 'outputs.tar.gz');
  const digest = new Digest(limit);
  try {
    await pipeline(source, digest, createWriteStream(path));
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, bytes: digest.bytes, sha256: digest.sha256(), remove };
}
