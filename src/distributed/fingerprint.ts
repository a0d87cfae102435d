/**
 * What must be the same on the coordinator and a worker for the worker's own project graph to mean
 * the same tasks: the git commit and the changes not committed, the lock file, and the versions of
 * nx and nx-parallel.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkspaceFingerprint {
  commit: string;
  /** `clean`, or a hash of the changes to tracked files and the names of untracked ones. */
  changes: string;
  /** `<lock file>:<sha256, first 16 hex digits>`, or `none`. */
  lockFile: string;
  nx: string;
  nxParallel: string;
}

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
  if (diff === undefined || listed === undefined) return 'unknown';
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

function lockFileHash(root: string): string {
  const name = LOCK_FILES.find((file) => existsSync(join(root, file)));
  if (!name) return 'none';
  return `${name}:${createHash('sha256')
    .update(readFileSync(join(root, name)))
    .digest('hex')
    .slice(0, 16)}`;
}

function versionOf(packageJson: string): string {
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: string }).version ?? 'unknown';
}

export function readFingerprint(root: string, own: readonly string[] = []): WorkspaceFingerprint {
  let nx = 'not installed';
  try {
    nx = versionOf(require.resolve('nx/package.json', { paths: [root] }));
  } catch {
    // reported as such; a worker without nx refuses every run
  }
  return {
    commit: git(root, ['rev-parse', 'HEAD'])?.trim() ?? 'none (not a git checkout)',
    changes: uncommittedChanges(root, own),
    lockFile: lockFileHash(root),
    nx,
    nxParallel: versionOf(join(__dirname, '..', '..', 'package.json')),
  };
}

/** One line per part that differs: `commit: <ours> here, <theirs> there`. */
export function fingerprintDifferences(
  ours: WorkspaceFingerprint,
  theirs: WorkspaceFingerprint,
  names: { ours: string; theirs: string },
): string[] {
  return (Object.keys(ours) as (keyof WorkspaceFingerprint)[])
    .filter((key) => ours[key] !== theirs[key])
    .map((key) => `${key}: ${ours[key]} (${names.ours}) vs ${theirs[key]} (${names.theirs})`);
}

/** `commit=..., lockFile=..., nx=..., nxParallel=...`, for messages. */
export function formatFingerprint(fingerprint: WorkspaceFingerprint): string {
  return (Object.keys(fingerprint) as (keyof WorkspaceFingerprint)[])
    .map((key) => `${key}=${fingerprint[key]}`)
    .join(', ');
}
