import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, describe, it } from 'node:test';
import { removeSpilledOutput, TaskOutput } from './task-output';

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
    assert.deepEqual(output.tail(1), ['two']);
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
