/**
 * A task's outputs as one tar.gz, to travel from the machine that ran the task to the machines that
 * need them, as a stream: packing hashes the archive as the store reads it, and restoring spools it
 * to a temp file, then checks the whole archive (checksum, entry types, paths, size) before it writes
 * anything, and extracts with node-tar's own defences on as a second line.
 */
import { createReadStream } from 'node:fs';
import { lstat, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Pack, Unpack, type ReadEntry } from 'tar';
import { ArchiveRefusedError } from '../../errors';
import { checkArchive, entryViolation } from './archive-check';
import { Digest, spoolToTempFile } from './archive-stream';
import { collectOutputs, isMissing, type OutputEntry } from './collect-outputs';
import { isInside, parseOutputs, type OutputPatterns } from './output-patterns';

export interface PackedOutputs {
  /** sha256 of the archive, hex. */
  sha256: string;
  /** The archive's length. */
  bytes: number;
  /** Regular files in the archive (folders not counted). */
  files: number;
}

/** Takes the archive as it is packed (a store's put); resolves once it has read all of it. */
export type ArchiveSink = (archive: Readable) => Promise<void>;

export interface ExpectedArchive {
  sha256: string;
  /** The task's declared outputs, as given to packOutputs. */
  outputs: readonly string[];
  /** For messages. */
  taskId?: string;
}

export interface RestoreOptions {
  /**
   * Refuse an archive that is larger than this, or whose entries add up to more (a gzip bomb).
   * Default 4 GiB.
   */
  maxBytes?: number;
}

const DEFAULT_MAX_RESTORE_BYTES = 4 * 1024 ** 3;

/**
 * Packs every regular file and folder the outputs take below `root`. Missing outputs are fine (an
 * empty archive). The same files give the same bytes: entries are sorted, and owners, times and the
 * gzip timestamp are left out. Throws InvalidOutputError for an output outside the workspace.
 */
export async function packOutputs(
  root: string,
  outputs: readonly string[],
  sink: ArchiveSink,
  options: { taskId?: string } = {},
): Promise<PackedOutputs> {
  const entries = await collectOutputs(root, parseOutputs(outputs, options.taskId));
  // `noDirRecurse`: the list already holds every folder's contents that the outputs take, and only those.
  const pack = new Pack({
    cwd: root,
    gzip: true,
    portable: true,
    noMtime: true,
    noDirRecurse: true,
    linkCache: new NoLinkCache(),
  });
  const digest = new Digest();
  // pipe() does not pass errors on: a file that cannot be read fails the stream the sink reads.
  pack.on('error', (error: unknown) => digest.destroy(error instanceof Error ? error : new Error(String(error))));
  pack.pipe(digest);
  for (const entry of entries) pack.add(entry.path);
  pack.end();
  try {
    await sink(digest);
  } catch (error) {
    // The sink gave up (the store failed): read no more files.
    pack.destroy();
    throw error;
  }
  return {
    sha256: digest.sha256(),
    bytes: digest.bytes,
    files: entries.filter((entry) => entry.type === 'file').length,
  };
}

/**
 * Checks the archive against `expected`, then replaces the plain outputs with its contents. Throws
 * ArchiveRefusedError, having written nothing, when any check fails; rejects with the archive
 * stream's own error when it fails (the store could not read it).
 */
export async function restoreOutputs(
  root: string,
  archive: Readable,
  expected: ExpectedArchive,
  options: RestoreOptions = {},
): Promise<{ files: number }> {
  const { taskId } = expected;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_RESTORE_BYTES;
  // A gzipped tar is never much larger than its contents: one past the limit is not spooled whole.
  const spooled = await spoolToTempFile(archive, {
    bytes: maxBytes,
    error: () => new ArchiveRefusedError(taskId, undefined, `is larger than the limit of ${maxBytes} bytes (maxBytes)`),
  });
  try {
    if (spooled.sha256 !== expected.sha256) {
      throw new ArchiveRefusedError(
        taskId,
        undefined,
        `has sha256 ${spooled.sha256}, not the expected ${expected.sha256}`,
      );
    }
    const patterns = parseOutputs(expected.outputs, taskId);
    const entries = await checkArchive(createReadStream(spooled.path), {
      patterns,
      maxBytes,
      taskId,
    });
    await refuseLinksOnTheWay(root, entries, patterns, taskId);
    // As Nx's cache does when it restores: no stale file of an earlier build stays among the outputs.
    for (const path of patterns.plainPaths) await rm(join(root, path), { recursive: true, force: true });
    // node-tar's extraction refuses an archive without entries, and there is nothing to extract from one.
    if (entries.length) await extract(root, createReadStream(spooled.path), patterns);
    return { files: entries.filter((entry) => entry.type === 'file').length };
  } finally {
    await spooled.remove();
  }
}

/**
 * node-tar packs the second path of a hard-linked file as a link to the first; restoring accepts no
 * links, so a cache that never remembers makes every path a regular file with its own contents.
 */
class NoLinkCache extends Map<`${number}:${number}`, string> {
  override get(): undefined {
    return undefined;
  }
  override set(): this {
    return this;
  }
}

/**
 * node-tar will not extract through a symbolic link, and fails at that entry, after earlier ones are
 * written; removing a plain output through a link would delete files elsewhere. Look for such links
 * first (in folders restoring does not remove), so that nothing is written or removed.
 */
async function refuseLinksOnTheWay(
  root: string,
  entries: readonly OutputEntry[],
  patterns: OutputPatterns,
  taskId: string | undefined,
): Promise<void> {
  const checked = new Set<string>();
  for (const path of [...patterns.plainPaths, ...entries.map((entry) => entry.path)]) {
    const segments = path.split('/');
    for (let end = 1; end < segments.length; end++) {
      const folder = segments.slice(0, end).join('/');
      if (patterns.plainPaths.some((plain) => isInside(folder, plain))) break;
      if (checked.has(folder)) continue;
      checked.add(folder);
      const stats = await lstat(join(root, folder)).catch((error: unknown) => {
        if (isMissing(error)) return undefined;
        throw error;
      });
      if (stats?.isSymbolicLink()) {
        throw new ArchiveRefusedError(
          taskId,
          path,
          `lies below ${JSON.stringify(folder)}, which is a symbolic link in this workspace`,
          'Outputs are not removed or extracted through links: make that path a real folder in this checkout.',
        );
      }
    }
  }
}

function extract(root: string, archive: Readable, patterns: OutputPatterns): Promise<void> {
  return new Promise((resolve, reject) => {
    const unpack = new Unpack({
      cwd: root,
      // Every warning (a `..` path, a link on the way, an unsupported type...) fails the restore.
      strict: true,
      // The same rules again: checkArchive has passed every entry, so this only holds if that check has a hole.
      filter: (_path, entry) => entryViolation(entry as ReadEntry, patterns) === undefined,
      // Replace files rather than write into them, so a hard link in this checkout (a package store's) is not written through.
      unlink: true,
      // Owners from another machine mean nothing here, even when this runs as root.
      preserveOwner: false,
      // Extracted files are new to this checkout: they get the current time, as build tools expect.
      noMtime: true,
    });
    archive.on('error', reject);
    unpack.on('error', reject);
    unpack.on('close', () => resolve());
    archive.pipe(unpack);
  });
}
