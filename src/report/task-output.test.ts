import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { removeSpilledOutput } from './spill-directory';
import { TaskOutput } from './task-output';

async function collect(output: TaskOutput): Promise<string> {
  const blocks: string[] = [];
  await output.forEachBlock((text) => {
    blocks.push(text);
  });
  return blocks.join('');
}

const spillDirectories = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('nx-parallel-output-'));

describe('TaskOutput', () => {
  after(() => removeSpilledOutput());

  it('keeps a small output in memory, in order', async () => {
    const output = new TaskOutput();
    output.append('one\n');
    output.append('two');
    assert.equal(output.text(), 'one\ntwo');
    assert.equal(await collect(output), 'one\ntwo');
    assert.equal(await output.readAll(), 'one\ntwo');
    assert.deepEqual(output.tail(1), ['two']);
    assert.equal(output.spillFailure, undefined);
  });

  it('moves a large output to a file and gives every character back, multi-byte ones included', async () => {
    const before = new Set(spillDirectories());
    const output = new TaskOutput();
    const line = 'é漢🎉 line of a large output\n';
    const lines = 200_000;
    for (let i = 0; i < lines; i++) output.append(line);
    assert.throws(() => output.text(), /forEachBlock/, 'a spilled output is not held as one string');
    assert.ok(
      spillDirectories().some((name) => !before.has(name)),
      'no temporary file was written',
    );
    const text = await collect(output);
    assert.equal(text.length, line.length * lines);
    assert.equal(text, line.repeat(lines));
    assert.equal(await output.readAll(), text);
    assert.deepEqual(output.tail(2), [line.trimEnd(), line.trimEnd()]);
    output.dispose();
  });

  it('removes its temporary files', () => {
    removeSpilledOutput();
    const before = new Set(spillDirectories());
    const output = new TaskOutput();
    output.append('x'.repeat(2 << 20));
    assert.equal(spillDirectories().filter((name) => !before.has(name)).length, 1);
    output.dispose();
    removeSpilledOutput();
    assert.deepEqual(
      spillDirectories().filter((name) => !before.has(name)),
      [],
    );
  });
});

describe('TaskOutput when its temporary file cannot be written', () => {
  const savedTmpdir = process.env.TMPDIR;
  afterEach(() => {
    removeSpilledOutput();
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
  });

  it('keeps the output in memory when TMPDIR does not exist, and says why', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'nx-parallel-test-'));
    try {
      removeSpilledOutput();
      process.env.TMPDIR = join(parent, 'missing');
      const output = new TaskOutput({ memoryLimit: 100 });
      for (let i = 0; i < 50; i++) output.append(`line ${i}\n`);
      const expected = Array.from({ length: 50 }, (_, i) => `line ${i}\n`).join('');
      assert.equal(await output.readAll(), expected);
      assert.equal(await collect(output), expected);
      assert.deepEqual(output.tail(1), ['line 49']);
      assert.match(output.spillFailure?.error ?? '', /ENOENT/);
      assert.equal(output.spillFailure?.droppedChars, 0);
      assert.deepEqual(readdirSync(parent), []);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('keeps the head and the tail past its bound, and says what was dropped and what to do', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'nx-parallel-test-'));
    try {
      removeSpilledOutput();
      process.env.TMPDIR = join(parent, 'missing');
      const output = new TaskOutput({ memoryLimit: 10, fallbackLimit: 20 });
      output.append('HEAD-HEAD-');
      output.append('x'.repeat(1000));
      output.append('-TAIL-TAIL');
      const text = await output.readAll();
      assert.ok(text.startsWith('HEAD-HEAD-\n[nx-parallel] 1000 characters of this output were dropped here'), text);
      assert.ok(text.endsWith('-TAIL-TAIL'), text);
      assert.match(text, /Free space in the temporary folder or set TMPDIR/);
      assert.equal(output.spillFailure?.droppedChars, 1000);
      assert.deepEqual(output.tail(1), ['-TAIL-TAIL']);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('falls back to memory when the disk is full (ENOSPC from /dev/full)', async () => {
    const output = new TaskOutput({
      memoryLimit: 10,
      openSpillFile: () => ({ fd: openSync('/dev/full', 'w'), path: '/dev/full' }),
    });
    output.append('0123456789');
    output.append('abcdef');
    output.append('ghij');
    assert.equal(await output.readAll(), '0123456789abcdefghij');
    assert.equal(await collect(output), '0123456789abcdefghij');
    assert.match(output.spillFailure?.error ?? '', /ENOSPC/);
    output.dispose();
  });
});
