/**
 * A task's declared Nx outputs (`task.outputs`, relative to the workspace root) as a test on paths,
 * with Nx's meaning (see `matchOutputPaths` in Nx): an output takes the path it names and everything
 * below it; a glob takes what it matches and everything below that; a `!` output excludes what it
 * names (and everything below) from the whole set.
 *
 * Unlike Nx, a list of only `!` outputs takes nothing: Nx reads it as "everything else in the
 * workspace", which is not something to ship between machines.
 */
import { posix } from 'node:path';
import { InvalidOutputError } from '../../errors';
import { compileGlob, isGlob, type GlobPattern } from './glob-pattern';

export interface OutputPatterns {
  /** The outputs as declared, for messages. */
  readonly declared: readonly string[];
  /** Outputs without wildcards: a file or a folder taken whole. Restoring replaces them. */
  readonly plainPaths: readonly string[];
  /** Folders where a walk starts: the plain paths and the static base folder of each glob. */
  readonly walkRoots: readonly string[];
  /** Whether the output set takes this path (relative, `/`-separated, no trailing `/`). */
  covers(path: string): boolean;
  /** Whether the output set could take a path strictly below this folder. */
  mayCoverBelow(folder: string): boolean;
}

interface Output {
  plain?: string;
  glob?: GlobPattern;
}

/** Throws InvalidOutputError for an output that is absolute, leaves the workspace or is its root. */
export function parseOutputs(declared: readonly string[], taskId?: string): OutputPatterns {
  const included: Output[] = [];
  const excluded: Output[] = [];
  for (const raw of declared) {
    const negated = raw.startsWith('!');
    const path = normalizeOutput(negated ? raw.slice(1) : raw);
    if (path === undefined) throw new InvalidOutputError(raw, taskId);
    (negated ? excluded : included).push(isGlob(path) ? { glob: compileGlob(path) } : { plain: path });
  }
  const plainPaths = included.flatMap((output) => (output.plain === undefined ? [] : [output.plain]));
  const isExcluded = (path: string): boolean => excluded.some((output) => takes(output, path));
  return {
    declared,
    plainPaths,
    walkRoots: [...new Set(included.flatMap((output) => output.glob?.bases ?? [output.plain!]))],
    covers: (path) => included.some((output) => takes(output, path)) && !isExcluded(path),
    mayCoverBelow: (folder) =>
      !isExcluded(folder) &&
      included.some((output) =>
        output.glob ? takes(output, folder) || output.glob.mayMatchBelow(folder) : isInside(output.plain!, folder),
      ),
  };
}

/** Whether the output names the path or one of its parent folders. */
function takes(output: Output, path: string): boolean {
  if (output.plain !== undefined) return isInside(path, output.plain);
  const segments = path.split('/');
  for (let end = segments.length; end > 0; end--) {
    if (output.glob!.matches(segments.slice(0, end).join('/'))) return true;
  }
  return false;
}

/** Whether `path` is `folder` or lies below it (`''` is the root, which holds everything). */
export function isInside(path: string, folder: string): boolean {
  return folder === '' || path === folder || path.startsWith(`${folder}/`);
}

/** The output as a clean relative path, or undefined when it (or a brace alternative) is not one inside the workspace. */
function normalizeOutput(output: string): string | undefined {
  const path = posix.normalize(output).replace(/\/+$/, '');
  // Split at brace syntax too, so that no alternative of `dist/{a,..}` can name a parent folder.
  const leavesWorkspace = path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.split(/[/{},]/).includes('..');
  return path === '.' || path === '' || leavesWorkspace ? undefined : path;
}
