/**
 * Globs as Nx outputs write them (`dist/a/**\/*.js`, `dist/{a,b}`, `dist/[ab]*`), matched segment by
 * segment so that a walk can skip folders where no match can lie. Node 20 has no `fs.promises.glob`, and
 * its `path.matchesGlob` prints an ExperimentalWarning, hence this small matcher.
 *
 * `*` and `?` stay within one path segment and also match names starting with a dot (as Nx's globs do),
 * `**` as a whole segment matches any number of segments, `[...]` / `[!...]` a character class,
 * `{a,b}` alternatives (nested too), and `\` escapes the next character.
 */

type Segment = { kind: 'globstar' } | { kind: 'literal'; text: string } | { kind: 'pattern'; regex: RegExp };

export interface GlobPattern {
  readonly source: string;
  /** For each brace alternative, the leading folders without wildcards ('' for the root); every match lies below one. */
  readonly bases: readonly string[];
  /** Whether the relative path (`a/b/c.js`, no leading or trailing `/`) matches. */
  matches(path: string): boolean;
  /** Whether a path strictly below the folder `path` could match (`''` is the root). */
  mayMatchBelow(path: string): boolean;
}

/** Whether an output is a glob rather than a plain path. */
export function isGlob(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

export function compileGlob(source: string): GlobPattern {
  const alternatives = expandBraces(source).map((pattern) =>
    pattern
      .split('/')
      .filter((s) => s !== '' && s !== '.')
      .map(compileSegment),
  );
  return {
    source,
    bases: alternatives.map((segments) => {
      const literal: string[] = [];
      for (const segment of segments) {
        if (segment.kind !== 'literal') break;
        literal.push(segment.text);
      }
      return literal.join('/');
    }),
    matches: (path) => alternatives.some((segments) => matchFrom(segments, splitPath(path), 0, 0)),
    mayMatchBelow: (path) => alternatives.some((segments) => mayMatchBelow(segments, splitPath(path), 0, 0)),
  };
}

function splitPath(path: string): string[] {
  return path === '' ? [] : path.split('/');
}

function matchFrom(pattern: readonly Segment[], path: readonly string[], pi: number, si: number): boolean {
  const segment = pattern[pi];
  if (segment === undefined) return si === path.length;
  if (segment.kind === 'globstar') {
    for (let next = si; next <= path.length; next++) if (matchFrom(pattern, path, pi + 1, next)) return true;
    return false;
  }
  const name = path[si];
  return name !== undefined && segmentMatches(segment, name) && matchFrom(pattern, path, pi + 1, si + 1);
}

function mayMatchBelow(pattern: readonly Segment[], path: readonly string[], pi: number, si: number): boolean {
  const segment = pattern[pi];
  if (segment === undefined) return false;
  const name = path[si];
  if (name === undefined) return true;
  if (segment.kind === 'globstar') return true;
  return segmentMatches(segment, name) && mayMatchBelow(pattern, path, pi + 1, si + 1);
}

function segmentMatches(segment: Exclude<Segment, { kind: 'globstar' }>, name: string): boolean {
  return segment.kind === 'literal' ? segment.text === name : segment.regex.test(name);
}

function escapeRegex(char: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(char) ? `\\${char}` : char;
}

function compileSegment(segment: string): Segment {
  if (segment === '**') return { kind: 'globstar' };
  let regex = '';
  let literal = '';
  let wild = false;
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!;
    const cls = char === '[' ? characterClass(segment, i) : undefined;
    if (char === '\\' && i + 1 < segment.length) {
      const next = segment[++i]!;
      regex += escapeRegex(next);
      literal += next;
    } else if (char === '*') {
      // `a**b` is not a globstar: inside a segment `**` means the same as `*`.
      while (segment[i + 1] === '*') i++;
      regex += '[^/]*';
      wild = true;
    } else if (char === '?') {
      regex += '[^/]';
      wild = true;
    } else if (cls) {
      regex += cls[0];
      i = cls[1];
      wild = true;
    } else {
      regex += escapeRegex(char);
      literal += char;
    }
  }
  return wild ? { kind: 'pattern', regex: new RegExp(`^${regex}$`) } : { kind: 'literal', text: literal };
}

/** `[...]` starting at `start` as a regex class and the index of its `]`; undefined when it does not close. */
function characterClass(segment: string, start: number): [string, number] | undefined {
  let i = start + 1;
  const negated = segment[i] === '!' || segment[i] === '^';
  if (negated) i++;
  let body = '';
  // A `]` right after the opening is a member, not the end.
  if (segment[i] === ']') {
    body += '\\]';
    i++;
  }
  for (; i < segment.length; i++) {
    const char = segment[i]!;
    if (char === ']') return [`[${negated ? '^/' : ''}${body}]`, i];
    if (char === '\\' && i + 1 < segment.length) body += escapeRegex(segment[++i]!);
    else body += char === '-' ? '-' : escapeRegex(char);
  }
  return undefined;
}

/** `a/{b,c{d,e}}/f` -> `a/b/f`, `a/cd/f`, `a/ce/f`; an unclosed `{` stays a literal. */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  const commas: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') i++;
    else if (char === '{') {
      if (depth++ === 0) open = i;
    } else if (char === ',' && depth === 1) commas.push(i);
    else if (char === '}' && depth > 0 && --depth === 0) {
      const prefix = pattern.slice(0, open);
      const suffix = pattern.slice(i + 1);
      const cuts = [open, ...commas, i];
      const alternatives = cuts.slice(1).map((cut, k) => pattern.slice(cuts[k]! + 1, cut));
      return alternatives.flatMap((alternative) => expandBraces(`${prefix}${alternative}${suffix}`));
    }
  }
  if (open === -1) return [pattern];
  // No closing brace: escape the first `{` so it reads as a literal, and expand what follows it.
  return expandBraces(`${pattern.slice(0, open)}\\${pattern.slice(open)}`);
}
