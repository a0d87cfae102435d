import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ArchiveRefusedError } from '../../errors';
import { snapshot, writeTree } from '../../test-support/file-tree';
import { rawArchive, type RawEntry } from '../../test-support/raw-archive';
import { restoreOutputs } from './artifact-archive';
import { packToBuffer } from '../../test-support/archive-buffer';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

let base: string;
let root: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'nx-parallel-refusal-'));
  root = join(base, 'workspace');
  await writeTree(root, { 'dist/a/keep.js': 'existing output', 'dist/other/y': 'y', 'src/x.ts': 'x' });
});
afterEach(() => rm(base, { recursive: true, force: true }));

const outputs = ['dist/a'];

const cases: [name: string, entries: RawEntry[], rule: RegExp][] = [
  ['a path leaving the root', [{ path: '../evil', body: 'x' }], /'\.\.' segment/],
  ['an absolute path', [{ path: '/abs', body: 'x' }], /absolute path/],
  ['a path climbing out of an output', [{ path: 'dist/a/../../x', body: 'x' }], /'\.\.' segment/],
  ['a Windows drive path', [{ path: 'C:/x', body: 'x' }], /drive letter/],
  ['a backslash path', [{ path: 'dist/a/..\\..\\x', body: 'x' }], /backslash/],
  ['a symbolic link', [{ path: 'dist/a/link', type: 'SymbolicLink', linkpath: '/etc/passwd' }], /symbolic link/],
  ['a hard link', [{ path: 'dist/a/hard', type: 'Link', linkpath: 'dist/a/keep.js' }], /hard link/],
  ['a character device', [{ path: 'dist/a/tty', type: 'CharacterDevice' }], /type CharacterDevice/],
  ['a fifo', [{ path: 'dist/a/fifo', type: 'FIFO' }], /type FIFO/],
  ['an entry of an unknown type', [{ path: 'dist/a/x', typeFlag: 'Q' }], /unsupported type/],
  [
    'an entry outside the declared outputs',
    [{ path: 'dist/other/y', body: 'overwritten' }],
    /outside the task's declared/,
  ],
  ['a file next to an output with a common prefix', [{ path: 'dist/ab', body: 'x' }], /outside the task's declared/],
  [
    'a pax header that moves an entry out',
    [{ path: 'dist/a/ok.js', body: 'x', pax: { fields: { path: '../evil.js' } } }],
    /'\.\.' segment/,
  ],
  [
    'a pax global header',
    [{ path: 'dist/a/ok.js', body: 'x', pax: { fields: { path: '../evil.js' }, global: true } }],
    /pax global header/,
  ],
  [
    'a bad entry after good ones',
    [
      { path: 'dist/a/', type: 'Directory' },
      { path: 'dist/a/good.js', body: 'good' },
      { path: 'dist/a/../../../escape', body: 'x' },
    ],
    /'\.\.' segment/,
  ],
];

describe('restoreOutputs refuses, and writes nothing', () => {
  const refused = async (data: Buffer, expectedSha = sha256(data), maxBytes?: number): Promise<ArchiveRefusedError> => {
    const before = await snapshot(base);
    const error = await restoreOutputs(
      root,
      Readable.from([data]),
      { sha256: expectedSha, outputs, taskId: 'app:build' },
      { maxBytes },
    ).then(
      () => assert.fail('the archive was accepted'),
      (error: unknown) => error,
    );
    assert.ok(error instanceof ArchiveRefusedError, String(error));
    assert.match(error.message, /^Refused the outputs archive of app:build: /);
    assert.match(error.message, /Nothing was written to the workspace/);
    // The existing outputs are still there: nothing was removed either.
    assert.deepEqual(await snapshot(base), before);
    return error;
  };

  for (const [name, entries, rule] of cases) {
    it(name, async () => {
      const error = await refused(rawArchive(entries));
      assert.match(error.rule, rule);
      assert.ok(error.entry !== undefined && error.message.includes(JSON.stringify(error.entry)));
    });
  }

  it('an archive whose sha256 differs from the expected one', async () => {
    await writeTree(join(base, 'source'), { 'dist/a/new.js': 'new' });
    const packed = await packToBuffer(join(base, 'source'), outputs);
    const error = await refused(packed.data, sha256(Buffer.from('something else')));
    assert.match(error.rule, new RegExp(`has sha256 ${packed.sha256}, not the expected`));
  });

  it('an archive whose entries add up to more than maxBytes', async () => {
    const data = rawArchive([
      { path: 'dist/a/one.bin', body: 'x'.repeat(600) },
      { path: 'dist/a/two.bin', body: 'x'.repeat(600) },
    ]);
    const error = await refused(data, undefined, 1000);
    assert.equal(error.entry, 'dist/a/two.bin');
    assert.match(error.rule, /1200 bytes, above the limit of 1000 bytes/);
  });

  it('data that is not a tar.gz', async () => {
    const error = await refused(gzipSync(Buffer.alloc(2048, 'garbage')));
    assert.match(error.rule, /not a readable tar\.gz/);
    await refused(Buffer.from('not even gzip'));
  });

  for (const [name, outputs, entries] of [
    [
      'an archive that would be extracted through a symbolic link in the workspace',
      ['out/**/*.js'],
      ['out/linked/x.js'],
    ],
    ['outputs that would be removed through a symbolic link in the workspace', ['out/linked/a'], []],
  ] as const) {
    it(name, async () => {
      await mkdir(join(base, 'elsewhere/a'), { recursive: true });
      await writeTree(root, { 'out/real/': '' });
      await symlink(join(base, 'elsewhere'), join(root, 'out/linked'));
      const data = rawArchive(entries.map((path) => ({ path, body: 'x' })));
      const before = await snapshot(base);
      const error = await restoreOutputs(root, Readable.from([data]), { sha256: sha256(data), outputs }).catch(
        (error: unknown) => error,
      );
      assert.ok(error instanceof ArchiveRefusedError, String(error));
      assert.match(error.message, /lies below "out\/linked", which is a symbolic link in this workspace/);
      assert.deepEqual(await snapshot(base), before);
    });
  }
});
