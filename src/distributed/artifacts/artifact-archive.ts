/**
 * A task's outputs as one tar.gz, to travel from the machine that ran the task to the machines that
 * need them. Restoring checks the whole archive (checksum, entry types, paths, size) before it writes
 * anything, and extracts with node-tar's own defences on as a second line.
 */
import { createHash } from 'node:crypto';
import { lstat, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Pack, Unpack, type ReadEntry } from 'tar';
import { ArchiveRefusedError } from '../../errors';
import { checkArchive, entryViolation } from './archive-check';
import { collectOutputs, isMissing, type OutputEntry } from './collect-outputs';
import { isInside, parseOutputs, type OutputPatterns } from './output-patterns';

export interface PackedOutputs {
  data: Buffer;
  /** sha256 of `data`, hex. */
  sha256: string;
  /** Regular files in the archive (folders not counted). */
  files: number;
}

export interface ExpectedArchive {
  sha256: string;
  /** The task's declared outputs, as given to packOutputs. */
  outputs: readonly string[];
  /** For messages. */
  taskId?: string;
}

export interface RestoreOptions {
  /** Refuse an archive whose entries add up to more bytes than this (a gzip bomb). Default 4 GiB. */
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
  const data = pack.concat();
  for (const entry of entries) pack.add(entry.path);
  pack.end();
  const buffer = await data;
  return { data: buffer, sha256: sha256(buffer), files: entries.filter((entry) => entry.type === 'file').length };
}

/**
 * Checks the archive against `expected`, then replaces the plain outputs with its contents. Throws
 * ArchiveRefusedError, having written nothing, when any check fails.
 */
export async function restoreOutputs(
  root: string,
  data: Buffer,
  expected: ExpectedArchive,
  options: RestoreOptions = {},
): Promise<{ files: number }> {
  const { taskId } = expected;
  const actual = sha256(data);
  if (actual !== expected.sha256) {
    throw new ArchiveRefusedError(taskId, undefined, `has sha256 ${actual}, not the expected ${expected.sha256}`);
  }
  const patterns = parseOutputs(expected.outputs, taskId);
  const entries = await checkArchive(data, {
    patterns,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_RESTORE_BYTES,
    taskId,
  });
  await refuseLinksOnTheWay(root, entries, patterns, taskId);
  // As Nx's cache does when it restores: no stale file of an earlier build stays among the outputs.
  for (const path of patterns.plainPaths) await rm(join(root, path), { recursive: true, force: true });
  // node-tar's extraction refuses an archive without entries, and there is nothing to extract from one.
  if (entries.length) await extract(root, data, patterns);
  return { files: entries.filter((entry) => entry.type === 'file').length };
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

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
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

function extract(root: string, data: Buffer, patterns: OutputPatterns): Promise<void> {
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
    unpack.on('error', reject);
    unpack.on('close', () => resolve());
    unpack.end(data);
  });
}
