/**
 * The checks an archive of task outputs passes, entry by entry, before anything of it is written:
 * only regular files and folders, clean relative paths, all inside the task's declared outputs, and
 * contents adding up to no more than a limit. Read with node-tar's own parser, so the paths checked
 * are the paths node-tar's extraction would use (after pax and GNU long-name headers).
 */
import type { Readable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import { ArchiveRefusedError } from '../../errors';
import type { OutputEntry } from './collect-outputs';
import type { OutputPatterns } from './output-patterns';

export interface ArchiveCheck {
  patterns: OutputPatterns;
  maxBytes: number;
  taskId?: string;
}

/** What is wrong with one entry, as the end of a sentence naming it; undefined when nothing is. */
export function entryViolation(
  entry: Pick<ReadEntry, 'type' | 'path' | 'linkpath' | 'globalExtended'>,
  patterns: OutputPatterns,
): string | undefined {
  switch (entry.type) {
    case 'File':
    case 'Directory':
      break;
    case 'SymbolicLink':
      return `is a symbolic link (to ${JSON.stringify(entry.linkpath)}); only regular files and folders are accepted`;
    case 'Link':
      return `is a hard link (to ${JSON.stringify(entry.linkpath)}); only regular files and folders are accepted`;
    default:
      return `is of type ${entry.type}; only regular files and folders are accepted`;
  }
  if (entry.globalExtended) return 'follows a pax global header, which can rewrite the entries after it';
  const path = entryPath(entry);
  if (path.includes('\\')) return 'has a backslash in its path';
  if (path.includes('\0')) return 'has a NUL character in its path';
  if (path.startsWith('/')) return 'has an absolute path';
  if (/^[A-Za-z]:/.test(path)) return 'has a path starting with a drive letter';
  const segments = path.split('/');
  if (segments.includes('..')) return "has a '..' segment in its path";
  if (segments.includes('.') || segments.includes('')) return "has an empty or '.' segment in its path";
  if (!patterns.covers(path)) {
    return `lies outside the task's declared outputs (${patterns.declared.join(', ') || 'none'})`;
  }
  return undefined;
}

/** The entry's path without the trailing `/` tar gives folders. */
function entryPath(entry: Pick<ReadEntry, 'type' | 'path'>): string {
  return entry.type === 'Directory' && entry.path.endsWith('/') ? entry.path.slice(0, -1) : entry.path;
}

/** Reads the whole archive; resolves with its entries, or rejects with ArchiveRefusedError at the first violation. */
export function checkArchive(archive: Readable, check: ArchiveCheck): Promise<OutputEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: OutputEntry[] = [];
    let total = 0;
    let refusal: ArchiveRefusedError | undefined;
    let sawEnd = false;
    let emptyWarning = false;
    // Not `strict`: node-tar warns that an archive without entries is "Unrecognized archive format", and such an
    // archive is what missing outputs pack to. Every other warning is refused below, as `strict` would.
    const parser = new Parser();
    const refuse = (entry: string | undefined, rule: string): void => {
      if (refusal) return;
      refusal = new ArchiveRefusedError(check.taskId, entry, rule);
      // Stops reading (and inflating) the rest; the parser reports it as an error, settled below.
      archive.unpipe(parser);
      archive.destroy();
      parser.abort(refusal);
    };
    parser.on('warn', (code: string, message: string) => {
      if (code === 'TAR_BAD_ARCHIVE' && message === 'Unrecognized archive format') emptyWarning = true;
      else refuse(undefined, `is not a readable tar.gz (${code}: ${message})`);
    });
    parser.on('eof', () => (sawEnd = true));
    parser.on('entry', (entry: ReadEntry) => {
      entry.resume();
      const violation = entryViolation(entry, check.patterns);
      if (violation) return refuse(entry.path, violation);
      total += entry.size;
      if (total > check.maxBytes) {
        return refuse(
          entry.path,
          `brings the archive's contents to ${total} bytes, above the limit of ${check.maxBytes} bytes (maxBytes)`,
        );
      }
      entries.push({ path: entryPath(entry), type: entry.type === 'File' ? 'file' : 'directory' });
    });
    // Entries of types node-tar does not know, or oversized metadata headers: node-tar skips them, we refuse.
    parser.on('ignoredEntry', (entry: ReadEntry) => refuse(entry.path, `is of an unsupported type (${entry.type})`));
    parser.on('error', (error: Error) => {
      reject(
        refusal ?? new ArchiveRefusedError(check.taskId, undefined, `is not a readable tar.gz (${error.message})`),
      );
    });
    parser.on('end', () => {
      if (refusal) reject(refusal);
      else if (emptyWarning && !(sawEnd && entries.length === 0)) {
        reject(new ArchiveRefusedError(check.taskId, undefined, 'is not a readable tar.gz (no valid entry)'));
      } else resolve(entries);
    });
    archive.on('error', (error: Error) => {
      if (!refusal) reject(error);
    });
    archive.pipe(parser);
  });
}
