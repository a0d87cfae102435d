import assert from 'node:assert/strict';
import { chmod, link, mkdir, mkdtemp, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { list } from 'tar';
import { Readable } from 'node:stream';
import { restoreOutputs } from './artifact-archive';
import { packToBuffer } from '../../test-support/archive-buffer';
import { snapshot, writeTree } from '../../test-support/file-tree';

let base: string;
let source: string;
let target: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'nx-parallel-archive-'));
  source = join(base, 'source');
  target = join(base, 'target');
  await mkdir(source);
  await mkdir(target);
});
afterEach(() => rm(base, { recursive: true, force: true }));

async function entriesOf(data: Buffer): Promise<string[]> {
  const paths: string[] = [];
  const parser = list({ onReadEntry: (entry) => paths.push(entry.path) });
  const ended = new Promise((resolve) => parser.on('end', resolve));
  parser.end(data);
  await ended;
  return paths;
}

async function roundTrip(outputs: string[]): Promise<{ files: number; paths: string[] }> {
  const packed = await packToBuffer(source, outputs);
  const restored = await restoreOutputs(target, Readable.from([packed.data]), {
    sha256: packed.sha256,
    outputs,
    taskId: 'app:build',
  });
  assert.equal(restored.files, packed.files);
  return { files: packed.files, paths: await entriesOf(packed.data) };
}

describe('packOutputs and restoreOutputs', () => {
  it('carry folders (nested and empty ones too) and single files, and replace what the target had there', async () => {
    await writeTree(source, {
      'dist/a/main.js': 'main',
      'dist/a/sub/deep/x.txt': 'x',
      'dist/a/empty/': '',
      'dist/b.txt': 'b',
      'dist/other.txt': 'not an output',
      'src/index.ts': 'source',
    });
    await writeTree(target, { 'dist/a/stale.js': 'old build', 'dist/b.txt': 'old b', 'src/index.ts': 'mine' });
    const { files, paths } = await roundTrip(['dist/a', 'dist/b.txt']);
    assert.equal(files, 3);
    assert.deepEqual(paths, [
      'dist/a/',
      'dist/a/empty/',
      'dist/a/main.js',
      'dist/a/sub/',
      'dist/a/sub/deep/',
      'dist/a/sub/deep/x.txt',
      'dist/b.txt',
    ]);
    assert.deepEqual(await snapshot(target), {
      'dist/': 'dir',
      'dist/a/': 'dir',
      'dist/a/empty/': 'dir',
      'dist/a/main.js': 'main',
      'dist/a/sub/': 'dir',
      'dist/a/sub/deep/': 'dir',
      'dist/a/sub/deep/x.txt': 'x',
      'dist/b.txt': 'b',
      'src/': 'dir',
      'src/index.ts': 'mine',
    });
  });

  it('carry the files a glob matches, and leave the rest of the target alone', async () => {
    await writeTree(source, { 'dist/c/a.js': 'a', 'dist/c/x/y/b.js': 'b', 'dist/c/a.d.ts': 'types', 'dist/d.js': 'd' });
    await writeTree(target, { 'dist/c/kept.txt': 'kept', 'dist/c/a.js': 'old a' });
    const { paths } = await roundTrip(['dist/c/**/*.js']);
    assert.deepEqual(paths, ['dist/c/a.js', 'dist/c/x/y/b.js']);
    assert.deepEqual(await snapshot(join(target, 'dist')), {
      'c/': 'dir',
      'c/a.js': 'a',
      'c/kept.txt': 'kept',
      'c/x/': 'dir',
      'c/x/y/': 'dir',
      'c/x/y/b.js': 'b',
    });
  });

  it('leave out what ! outputs exclude, and brace alternatives take each', async () => {
    await writeTree(source, {
      'dist/a/main.js': 'main',
      'dist/a/main.js.map': 'map',
      'dist/a/cache/entry': 'cache',
      'dist/b/x': 'x',
      'dist/e/y': 'not taken',
    });
    const { paths } = await roundTrip(['dist/{a,b}', '!dist/a/cache', '!**/*.map']);
    assert.deepEqual(paths, ['dist/a/', 'dist/a/main.js', 'dist/b/', 'dist/b/x']);
  });

  it('make an empty archive for missing or no outputs, and restoring it removes the stale plain outputs', async () => {
    await writeTree(target, { 'dist/missing/old.js': 'stale', 'dist/keep.js': 'keep' });
    assert.deepEqual(await roundTrip([]), { files: 0, paths: [] });
    assert.deepEqual(await roundTrip(['dist/missing', 'dist/nothing/**/*.js']), { files: 0, paths: [] });
    assert.deepEqual(await snapshot(target), { 'dist/': 'dir', 'dist/keep.js': 'keep' });
  });

  it('leave out symbolic links, inside the outputs and on the way to them', async () => {
    await writeTree(source, { 'dist/a/real.js': 'real', 'elsewhere/b/x.js': 'x', 'secret.txt': 'secret' });
    await symlink('../../secret.txt', join(source, 'dist/a/link.txt'));
    await symlink(join(source, 'elsewhere'), join(source, 'linked'));
    const { paths } = await roundTrip(['dist/a', 'linked/b', 'linked/**/*.js']);
    assert.deepEqual(paths, ['dist/a/', 'dist/a/real.js']);
  });

  it('carry hard-linked files as regular files', async () => {
    await writeTree(source, { 'dist/a/one.js': 'shared' });
    await link(join(source, 'dist/a/one.js'), join(source, 'dist/a/two.js'));
    await roundTrip(['dist/a']);
    assert.deepEqual(await snapshot(join(target, 'dist/a')), { 'one.js': 'shared', 'two.js': 'shared' });
  });

  it('give the same bytes for the same files, whatever their times', async () => {
    await writeTree(source, { 'dist/a/z.js': 'z', 'dist/a/a.js': 'a', 'dist/a/m/n.js': 'n' });
    const first = await packToBuffer(source, ['dist/a']);
    await utimes(join(source, 'dist/a/z.js'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    await utimes(join(source, 'dist/a/m'), new Date(2002, 1, 1), new Date(2002, 1, 1));
    const second = await packToBuffer(source, ['dist/a']);
    assert.equal(second.sha256, first.sha256);
    assert.deepEqual(second.data, first.data);
    await writeFile(join(source, 'dist/a/z.js'), 'changed');
    assert.notEqual((await packToBuffer(source, ['dist/a'])).sha256, first.sha256);
  });

  it('keep the executable bit', async () => {
    await writeTree(source, { 'dist/bin/cli': '#!/bin/sh' });
    await chmod(join(source, 'dist/bin/cli'), 0o755);
    await roundTrip(['dist/bin']);
    assert.equal((await stat(join(target, 'dist/bin/cli'))).mode & 0o100, 0o100);
    assert.equal(await readFile(join(target, 'dist/bin/cli'), 'utf8'), '#!/bin/sh');
  });

  it('carry paths too long for a plain tar header (node-tar writes a pax header for them)', async () => {
    const long = `dist/a/${'x'.repeat(90)}/${'y'.repeat(90)}/${'z'.repeat(90)}/file.js`;
    await mkdir(dirname(join(source, long)), { recursive: true });
    await writeFile(join(source, long), 'long');
    await roundTrip(['dist/a']);
    assert.equal(await readFile(join(target, long), 'utf8'), 'long');
  });

  it("fail with the archive stream's own error (the store could not read it), having written nothing", async () => {
    await writeTree(target, { 'dist/a/kept.js': 'kept' });
    const broken = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    await assert.rejects(
      restoreOutputs(target, broken, { sha256: 'unknown', outputs: ['dist/a'] }),
      /connection reset/,
    );
    assert.deepEqual(await snapshot(target), { 'dist/': 'dir', 'dist/a/': 'dir', 'dist/a/kept.js': 'kept' });
  });

  it('refuse an archive larger than maxBytes before it is spooled whole, having written nothing', async () => {
    await writeTree(target, { 'dist/a/kept.js': 'kept' });
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024));
      },
    });
    await assert.rejects(
      restoreOutputs(
        target,
        endless,
        { sha256: 'unknown', outputs: ['dist/a'], taskId: 'app:build' },
        { maxBytes: 1024 * 1024 },
      ),
      /Refused the outputs archive of app:build: is larger than the limit of 1048576 bytes/,
    );
    assert.deepEqual(await snapshot(target), { 'dist/': 'dir', 'dist/a/': 'dir', 'dist/a/kept.js': 'kept' });
  });
});
