/**
 * Where the `distributed` backend keeps the packed outputs of tasks while they travel between
 * machines: Redis itself (`redis`, small outputs, with an expiry) or S3 (`s3://bucket/prefix`).
 * Archives go in and come out as streams, so that no process holds one whole in memory.
 */
import type { Readable } from 'node:stream';

/** What a job or a job's result says of one stored archive of a task's outputs. */
export interface ArtifactRef {
  /** The store's key, unique per task attempt. */
  key: string;
  /** sha256 of the archive, hex; checked before anything is extracted. */
  sha256: string;
  bytes: number;
}

export interface ArtifactStore {
  /** Where artifacts go, for messages (`redis`, `s3://bucket/prefix`). */
  readonly location: string;
  /** Reads the archive to its end and stores it; rejects with the archive's own error when it fails. */
  put(key: string, archive: Readable): Promise<void>;
  /** Throws an ArtifactError when the key is not (or no longer) there; the stream fails with one when reading does. */
  get(key: string): Promise<Readable>;
  /** Removes the keys; missing ones are ignored. */
  delete(keys: readonly string[]): Promise<void>;
}
