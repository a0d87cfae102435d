import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { fingerprintDifferences, formatFingerprint, readFingerprint, unknownAdvice, unknownParts } from './fingerprint';

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function git(root: string, ...args: string[]): string {
  // protocol.file.allow: git refuses local submodule URLs by default since 2.38.1.
  const config = ['-c', 'user.name=t', '-c', 'user.email=t@localhost', '-c', 'protocol.file.allow=always'];
  return execFileSync('git', [...config, ...args], {
    cwd: root,
    encoding: 'utf8',
  });
}

/** A checkout with one commit: a source file, a lock file and an ignored build output. */
function checkout(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-fingerprint-'));
  folders.push(root);
  fs.writeFileSync(path.join(root, 'index.ts'), 'export const a = 1;\n');
  fs.writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion": 3}\n');
  fs.writeFileSync(path.join(root, '.gitignore'), 'dist\n');
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'one');
  return root;
}

function copy(root: string): string {
  const target = `${root}-copy${folders.length}`;
  fs.cpSync(root, target, { recursive: true });
  folders.push(target);
  return target;
}

describe('readFingerprint', () => {
  it('names the commit, a clean tree, the lock file and the versions', () => {
    const root = checkout();
    const fingerprint = readFingerprint(root);
    assert.equal(fingerprint.commit, git(root, 'rev-parse', 'HEAD').trim());
    assert.equal(fingerprint.changes, 'clean');
    assert.equal(fingerprint.submodules, 'none');
    assert.match(fingerprint.lockFile, /^package-lock\.json:[0-9a-f]{16}$/);
    assert.match(fingerprint.nxParallel, /^\d+\.\d+\.\d+/);
  });

  it('is the same on a copy of the checkout, build outputs or not', () => {
    const root = checkout();
    const other = copy(root);
    fs.mkdirSync(path.join(other, 'dist'));
    fs.writeFileSync(path.join(other, 'dist', 'out.js'), 'built');
    assert.deepEqual(readFingerprint(other), readFingerprint(root));
  });

  it('tells uncommitted changes apart, and equal changes alike', () => {
    const root = checkout();
    const same = copy(root);
    const different = copy(root);
    fs.writeFileSync(path.join(root, 'index.ts'), 'export const a = 2;\n');
    fs.writeFileSync(path.join(same, 'index.ts'), 'export const a = 2;\n');
    fs.writeFileSync(path.join(different, 'new.ts'), 'export const b = 1;\n');
    const changed = readFingerprint(root).changes;
    assert.match(changed, /^uncommitted changes [0-9a-f]{16}$/);
    assert.equal(readFingerprint(same).changes, changed);
    assert.notEqual(readFingerprint(different).changes, changed);
    assert.notEqual(readFingerprint(different).changes, 'clean');
  });

  it('leaves out the files the run itself writes, which only the coordinator has', () => {
    const root = checkout();
    const worker = readFingerprint(copy(root));
    fs.mkdirSync(path.join(root, 'reports'));
    fs.writeFileSync(path.join(root, 'reports', 'summary.json'), '{}');
    assert.notEqual(readFingerprint(root).changes, 'clean');
    assert.deepEqual(readFingerprint(root, ['reports/summary.json']), worker);
  });

  it('tells a changed lock file apart', () => {
    const root = checkout();
    const other = copy(root);
    fs.writeFileSync(path.join(other, 'package-lock.json'), '{"lockfileVersion": 3, "packages": {}}\n');
    git(other, 'commit', '-qam', 'lock');
    assert.notEqual(readFingerprint(other).lockFile, readFingerprint(root).lockFile);
  });
});

/** A checkout whose `lib` is a submodule (a repository of its own with one commit). */
function withSubmodule(): string {
  const sub = checkout();
  const root = checkout();
  git(root, 'submodule', '-q', 'add', sub, 'lib');
  git(root, 'commit', '-q', '-m', 'submodule');
  return root;
}

function clone(root: string, ...options: string[]): string {
  const target = `${root}-clone${folders.length}`;
  folders.push(target);
  git(path.dirname(root), 'clone', '-q', ...options, root, target);
  return target;
}

describe('readFingerprint, what it cannot know', () => {
  it('reads unknown outside a git checkout, and two unknowns never match', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-fingerprint-'));
    folders.push(root);
    fs.writeFileSync(path.join(root, 'index.ts'), 'export const a = 1;\n');
    const fingerprint = readFingerprint(root);
    assert.deepEqual(unknownParts(fingerprint), ['commit', 'changes', 'submodules']);
    assert.match(fingerprint.commit, /^unknown \(not a git checkout/);
    const differences = fingerprintDifferences(fingerprint, readFingerprint(root), { ours: 'a', theirs: 'b' });
    assert.equal(differences.length, 3);
    assert.match(differences[0] ?? '', /^commit: unknown \(.*\) \(a\) vs unknown \(.*\) \(b\)$/);
    assert.match(
      unknownAdvice(fingerprint, 'w1') ?? '',
      /on w1 cannot be compared \(commit: unknown .*\)\. Run .* git checkout/,
    );
  });

  it('a known fingerprint has no unknown part and no advice', () => {
    const fingerprint = readFingerprint(checkout());
    assert.deepEqual(unknownParts(fingerprint), []);
    assert.equal(unknownAdvice(fingerprint, 'w1'), undefined);
  });

  it('an announcement of another shape (a part missing) is unknown, not a match', () => {
    const fingerprint = readFingerprint(checkout());
    const older: Partial<typeof fingerprint> = { ...fingerprint };
    delete older.submodules;
    const differences = fingerprintDifferences(fingerprint, older as typeof fingerprint, { ours: 'a', theirs: 'b' });
    assert.deepEqual(differences, [`submodules: none (a) vs unknown (missing) (b)`]);
  });
});

describe('readFingerprint, submodules', () => {
  it('is the same on a clone with the submodule initialised', () => {
    const root = withSubmodule();
    const agent = clone(root, '--recurse-submodules');
    assert.match(readFingerprint(root).submodules, /^1 submodule [0-9a-f]{16}$/);
    assert.deepEqual(readFingerprint(agent), readFingerprint(root));
  });

  it('tells a submodule that is not initialised apart, though git diff is clean there', () => {
    const root = withSubmodule();
    const agent = clone(root);
    assert.equal(git(agent, 'diff', 'HEAD'), '');
    assert.equal(readFingerprint(agent).changes, 'clean');
    assert.notEqual(readFingerprint(agent).submodules, readFingerprint(root).submodules);
  });

  it("tells a submodule's uncommitted and untracked changes apart", () => {
    const root = withSubmodule();
    const edited = clone(root, '--recurse-submodules');
    const untracked = clone(root, '--recurse-submodules');
    fs.writeFileSync(path.join(edited, 'lib', 'index.ts'), 'export const a = 2;\n');
    fs.writeFileSync(path.join(untracked, 'lib', 'new.ts'), 'export const b = 1;\n');
    const ours = readFingerprint(root).submodules;
    assert.notEqual(readFingerprint(edited).submodules, ours);
    assert.notEqual(readFingerprint(untracked).submodules, ours);
    assert.notEqual(readFingerprint(untracked).submodules, readFingerprint(edited).submodules);
  });

  it('tells a submodule checked out at another commit apart', () => {
    const root = withSubmodule();
    const agent = clone(root, '--recurse-submodules');
    fs.writeFileSync(path.join(agent, 'lib', 'index.ts'), 'export const a = 3;\n');
    git(path.join(agent, 'lib'), 'commit', '-qam', 'moved');
    assert.notEqual(readFingerprint(agent).submodules, readFingerprint(root).submodules);
  });
});

describe('fingerprintDifferences', () => {
  it('names each part that differs with both values', () => {
    const ours = {
      commit: 'aaa',
      changes: 'clean',
      submodules: 'none',
      lockFile: 'l',
      nx: '24.0.6',
      nxParallel: '0.1.0',
    };
    const theirs = { ...ours, commit: 'bbb', nx: '24.0.5' };
    assert.deepEqual(fingerprintDifferences(ours, theirs, { ours: 'coordinator', theirs: 'w2' }), [
      'commit: aaa (coordinator) vs bbb (w2)',
      'nx: 24.0.6 (coordinator) vs 24.0.5 (w2)',
    ]);
    assert.deepEqual(fingerprintDifferences(ours, { ...ours }, { ours: 'a', theirs: 'b' }), []);
  });
});

describe('formatFingerprint', () => {
  it('gives every part with its name, for messages', () => {
    const fingerprint = {
      commit: 'aaa',
      changes: 'clean',
      submodules: 'none',
      lockFile: 'l',
      nx: '24.0.6',
      nxParallel: '0.1.0',
    };
    assert.equal(
      formatFingerprint(fingerprint),
      'commit=aaa, changes=clean, submodules=none, lockFile=l, nx=24.0.6, nxParallel=0.1.0',
    );
  });
});
