/**
 * The files and folders of a workspace that a task's outputs take, in a stable order, for packing.
 *
 * Symbolic links are left out, both inside the outputs and on the way to them: the archive must mean
 * the same on every machine, and a link means whatever its target is on the machine that reads it
 * (an absolute link points into another checkout; a relative one can leave the outputs). Extraction
 * refuses links anyway. Nx's own cache likewise does not store outputs below a link.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutputPatterns } from './output-patterns';

export interface OutputEntry {
  /** Relative to the workspace root, `/`-separated. */
  path: string;
  type: 'file' | 'directory';
}

/** Sorted by path, so a folder comes before what it holds and the same tree packs the same way. */
export async function collectOutputs(root: string, patterns: OutputPatterns): Promise<OutputEntry[]> {
  const found = new Map<string, OutputEntry['type']>();
  const visit = async (path: string): Promise<void> => {
    if (patterns.covers(path)) found.set(path, 'directory');
    const children = await readdir(join(root, path), { withFileTypes: true });
    for (const child of children) {
      const childPath = path === '' ? child.name : `${path}/${child.name}`;
      if (child.isFile() && patterns.covers(childPath)) found.set(childPath, 'file');
      else if (child.isDirectory() && (patterns.covers(childPath) || patterns.mayCoverBelow(childPath))) {
        await visit(childPath);
      }
      // Anything else (links, sockets, fifos, devices) is not an output that can travel.
    }
  };
  for (const start of patterns.walkRoots) {
    const type = await realType(root, start);
    if (type === 'file' && patterns.covers(start)) found.set(start, 'file');
    else if (type === 'directory') await visit(start);
  }
  return [...found]
    .map(([path, type]) => ({ path, type }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** What is at `path`, when it and every folder on the way to it from the root is no link. */
async function realType(root: string, path: string): Promise<OutputEntry['type'] | undefined> {
  if (path === '') return 'directory';
  const segments = path.split('/');
  for (let end = 1; end <= segments.length; end++) {
    const stats = await lstat(join(root, ...segments.slice(0, end))).catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
    if (stats === undefined || stats.isSymbolicLink()) return undefined;
    if (end === segments.length) return stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : undefined;
    if (!stats.isDirectory()) return undefined;
  }
  return undefined;
}

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
