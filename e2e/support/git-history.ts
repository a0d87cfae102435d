/** A git history in a test workspace: commits of file changes, each tagged, for affected runs. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const IDENTITY = ['-c', 'user.name=nx-parallel e2e', '-c', 'user.email=e2e@example.com', '-c', 'commit.gpgsign=false'];

export function git(root: string, args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
}

/** Writes files (relative to the workspace root), creating folders as needed. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
}

/** `git init` with what a run writes ignored, and a first commit of everything, tagged `tag`. */
export function initHistory(root: string, tag: string): void {
  writeFiles(root, { '.gitignore': ['.nx', 'record.log', 'marks', 'out', 'node_modules', ''].join('\n') });
  git(root, ['init', '-q', '-b', 'trunk']);
  commitAll(root, tag);
}

/** Writes the files, commits everything, and tags the commit. */
export function commitChange(root: string, tag: string, files: Record<string, string>): void {
  writeFiles(root, files);
  commitAll(root, tag);
}

/** Commits everything in the working tree and tags the commit. */
export function commitAll(root: string, tag: string): void {
  git(root, ['add', '-A']);
  git(root, ['commit', '-q', '-m', tag]);
  git(root, ['tag', tag]);
}
