/**
 * Globs as Nx outputs write them (`dist/a/**\/*.js`, `dist/{a,b}`, `dist/[ab]*`), matched with
 * picomatch (Node 20 has no `fs.promises.glob`, and its `path.matchesGlob` prints an
 * ExperimentalWarning). `*` also matches names that start with a dot, as Nx's globs do.
 */
import picomatch from 'picomatch';

export interface GlobPattern {
  readonly source: string;
  /** The leading folders without wildcards ('' for the root); every match lies below them. */
  readonly bases: readonly string[];
  /** Whether the relative path (`a/b/c.js`, no leading or trailing `/`) matches. */
  matches(path: string): boolean;
  /** Whether a path strictly below the folder `path` could match (`''` is the root). */
  mayMatchBelow(path: string): boolean;
}

/** Whether an output is a glob rather than a plain path. */
export function isGlob(pattern: string): boolean {
  return picomatch.scan(pattern).isGlob;
}

const isInside = (path: string, folder: string): boolean =>
  folder === '' || path === folder || path.startsWith(`${folder}/`);

export function compileGlob(source: string): GlobPattern {
  const base = picomatch.scan(source).base.replace(/^\.\/?/, '');
  // `[!ab]` is a negated class in Nx's globs; picomatch spells it `[^ab]`.
  const matches = picomatch(source.replace(/\[!/g, '[^'), { dot: true });
  return {
    source,
    bases: [base],
    matches: (path) => matches(path),
    mayMatchBelow: (path) => isInside(path, base) || isInside(base, path),
  };
}
