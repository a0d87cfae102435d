/**
 * What must be the same on the coordinator and an agent for the agent's own project graph to mean
 * the same tasks: the git commit and the changes not committed, the submodules' commits and their
 * changes, the lock file, and the versions of nx and nx-parallel. A part that cannot be determined
 * reads `unknown (...)` and never matches, not even another unknown.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkspaceFingerprint {
  commit: string;
  /** `clean`, or a hash of the changes to tracked files and the names of untracked ones. */
  changes: string;
  /** `none`, or a hash of every submodule's state (not initialised, its commit, its changes). */
  submodules: string;
  /** `<lock file>:<sha256, first 16 hex digits>`, or `none`. */
  lockFile: string;
  nx: string;
  nxParallel: string;
}

/** How a part that cannot be determined begins. */
const UNKNOWN = 'unknown';
const unknown = (why: string): string => `${UNKNOWN} (${why})`;

const LOCK_FILES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb'];

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: 'pipe', maxBuffer: 1 << 30 });
  } catch {
    return undefined;
  }
}

/**
 * Uncommitted work must be the same too: a task on a worker builds the worker's files. Ignored files
 * (build outputs, `.nx`) do not count, nor the files the run itself writes (`own`: its summary and
 * profile files, relative to the root), which only the coordinator has.
 */
function uncommittedChanges(root: string, own: readonly string[]): string {
  const excluded = own.map((file) => `:(exclude,literal)${file}`);
  const diff = git(root, ['diff', 'HEAD', '--binary', '--', '.', ...excluded]);
  const listed = git(root, ['ls-files', '--others', '--exclude-standard', '-z', '--', '.', ...excluded]);
  if (diff === undefined || listed === undefined) return unknown('git cannot list the changes');
  const untracked = listed.split('\0').filter(Boolean);
  if (diff === '' && untracked.length === 0) return 'clean';
  const hash = createHash('sha256').update(diff).update('\0').update(listed);
  for (const file of untracked) {
    try {
      hash.update(readFileSync(join(root, file)));
    } catch {
      hash.update('unreadable'); // a socket, say: its name is in the hash already
    }
  }
  return `uncommitted changes ${hash.digest('hex').slice(0, 16)}`;
}

/**
 * `git diff` shows a submodule only by its commit (and `-dirty`), and nothing for one that is not
 * initialised: each submodule's status line (`-` not initialised, `+` another commit) and its own
 * changes go into the hash, recursively.
 */
function submoduleState(root: string): string {
  const status = git(root, ['submodule', 'status', '--recursive']);
  if (status === undefined) return unknown('git cannot list the submodules');
  const lines = status.split('\n').filter(Boolean);
  if (!lines.length) return 'none';
  const hash = createHash('sha256');
  for (const line of lines) {
    // `<state><sha> <path> (<describe>)`: the describe part depends on tags, not on the files.
    const [, state = '', sha = '', path = ''] = /^(.)([0-9a-f]+) (.+?)(?: \(.*\))?$/.exec(line) ?? [];
    hash.update(`${state}${sha} ${path}\n`);
    if (state === '-') continue;
    const changes = uncommittedChanges(join(root, path), []);
    if (changes.startsWith(UNKNOWN)) return unknown(`git cannot list the changes of submodule ${path}`);
    hash.update(`${changes}\n`);
  }
  return `${lines.length} submodule${lines.length === 1 ? '' : 's'} ${hash.digest('hex').slice(0, 16)}`;
}

function lockFileHash(root: string): string {
  const name = LOCK_FILES.find((file) => existsSync(join(root, file)));
  if (!name) return 'none';
  return `${name}:${createHash('sha256')
    .update(readFileSync(join(root, name)))
    .digest('hex')
    .slice(0, 16)}`;
}

function versionOf(packageJson: string): string {
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: string }).version ?? unknown('no version');
}

export function readFingerprint(root: string, own: readonly string[] = []): WorkspaceFingerprint {
  let nx = 'not installed';
  try {
    nx = versionOf(require.resolve('nx/package.json', { paths: [root] }));
  } catch {
    // reported as such; a worker without nx refuses every run
  }
  return {
    commit: git(root, ['rev-parse', 'HEAD'])?.trim() ?? unknown('not a git checkout, or no commit yet'),
    changes: uncommittedChanges(root, own),
    submodules: submoduleState(root),
    lockFile: lockFileHash(root),
    nx,
    nxParallel: versionOf(join(__dirname, '..', '..', '..', 'package.json')),
  };
}

const PARTS: readonly (keyof WorkspaceFingerprint)[] = [
  'commit',
  'changes',
  'submodules',
  'lockFile',
  'nx',
  'nxParallel',
];

const isKnown = (value: unknown): value is string => typeof value === 'string' && !value.startsWith(UNKNOWN);

/** The parts of a fingerprint that could not be determined (or are missing: another version's). */
export function unknownParts(fingerprint: WorkspaceFingerprint): (keyof WorkspaceFingerprint)[] {
  return PARTS.filter((key) => !isKnown(fingerprint[key]));
}

/**
 * One line per part that differs or cannot be known on either side: `commit: <ours> (coordinator)
 * vs <theirs> (w1)`. Two unknowns are a difference too: what cannot be known cannot be the same.
 */
export function fingerprintDifferences(
  ours: WorkspaceFingerprint,
  theirs: WorkspaceFingerprint,
  names: { ours: string; theirs: string },
): string[] {
  return differingParts(ours, theirs).map(
    ({ field, ours: mine, theirs: other }) => `${field}: ${mine} (${names.ours}) vs ${other} (${names.theirs})`,
  );
}

/** The parts that differ or cannot be known on either side, with both values, as data. */
export function differingParts(
  ours: WorkspaceFingerprint,
  theirs: WorkspaceFingerprint,
): { field: keyof WorkspaceFingerprint; ours: string; theirs: string }[] {
  return PARTS.filter((key) => !isKnown(ours[key]) || !isKnown(theirs[key]) || ours[key] !== theirs[key]).map(
    (key) => ({ field: key, ours: ours[key] ?? unknown('missing'), theirs: theirs[key] ?? unknown('missing') }),
  );
}

/** What to do on a machine whose fingerprint has parts that cannot be known; undefined when none. */
export function unknownAdvice(fingerprint: WorkspaceFingerprint, machine: string): string | undefined {
  const parts = unknownParts(fingerprint);
  if (!parts.length) return undefined;
  const listed = parts.map((key) => `${key}: ${fingerprint[key] ?? unknown('missing')}`).join('; ');
  return (
    `the workspace on ${machine} cannot be compared (${listed}). Run the coordinator and every agent in a ` +
    `git checkout of the same commit (git installed, submodules initialised: git submodule update --init --recursive), ` +
    `with the same nx-parallel version.`
  );
}

/** `commit=..., changes=..., submodules=..., lockFile=..., nx=..., nxParallel=...`, for messages. */
export function formatFingerprint(fingerprint: WorkspaceFingerprint): string {
  return PARTS.map((key) => `${key}=${fingerprint[key]}`).join(', ');
}
