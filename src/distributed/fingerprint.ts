/**
 * What must be the same on the coordinator and a worker for the worker's own project graph to mean
 * the same tasks: the git commit, the lock file, and the versions of nx and nx-parallel.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkspaceFingerprint {
  commit: string;
  /** `<lock file>:<sha256, first 16 hex digits>`, or `none`. */
  lockFile: string;
  nx: string;
  nxParallel: string;
}

const LOCK_FILES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb'];

function gitCommit(root: string): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch {
    return 'none (not a git checkout)';
  }
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

export function readFingerprint(root: string): WorkspaceFingerprint {
  let nx = 'not installed';
  try {
    nx = versionOf(require.resolve('nx/package.json', { paths: [root] }));
  } catch {
    // reported as such; a worker without nx refuses every run
  }
  return {
    commit: gitCommit(root),
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
