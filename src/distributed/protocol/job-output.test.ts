import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { JobOutput, ShownOutput } from './job-output';

describe('JobOutput', () => {
  it('keeps the whole output, and the beginning and end of a huge one', () => {
    const small = new JobOutput();
    small.append('a\n');
    small.append('b\n');
    assert.equal(small.text(), 'a\nb\n');
    const huge = new JobOutput();
    huge.append('<'.repeat(5 << 20));
    huge.append('>'.repeat(5 << 20));
    const text = huge.text();
    assert.ok(text.startsWith('<'.repeat(4 << 20) + '\n[nx-parallel] 2097152 characters of output left out here.\n'));
    assert.ok(text.endsWith('>'.repeat(4 << 20)));
  });

  it('sends new output live every 250 ms, in order, until closed', () => {
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      const sent: [number, string][] = [];
      const output = new JobOutput((from, text) => sent.push([from, text]));
      output.append('one ');
      output.append('two ');
      mock.timers.tick(250);
      mock.timers.tick(250);
      output.append('three');
      mock.timers.tick(250);
      output.close();
      output.append(' four');
      mock.timers.tick(250);
      assert.deepEqual(sent, [
        [0, 'one two '],
        [8, 'three'],
      ]);
      assert.equal(output.text(), 'one two three four');
    } finally {
      mock.timers.reset();
    }
  });
});

describe('ShownOutput', () => {
  const shown = (): { printed: string[]; output: ShownOutput } => {
    const printed: string[] = [];
    return { printed, output: new ShownOutput((text) => printed.push(text)) };
  };

  it('prints live chunks as they come, then only the rest of the result', () => {
    const { printed, output } = shown();
    output.chunk({ attempt: 'a', from: 0, text: 'one ' });
    output.chunk({ attempt: 'a', from: 4, text: 'two ' });
    output.finish('a', 'one two three');
    assert.deepEqual(printed, ['one ', 'two ', 'three']);
  });

  it('after a lost or repeated chunk, waits for the result to fill in', () => {
    const { printed, output } = shown();
    output.chunk({ attempt: 'a', from: 0, text: 'one ' });
    output.chunk({ attempt: 'a', from: 8, text: 'three ' });
    output.chunk({ attempt: 'a', from: 4, text: 'two ' });
    output.finish('a', 'one two three four');
    assert.equal(printed.join(''), 'one two three four');
  });

  it('says so when a task starts again, and shows the new attempt whole', () => {
    const { printed, output } = shown();
    output.chunk({ attempt: 'a', from: 0, text: 'first try ' });
    output.chunk({ attempt: 'b', from: 0, text: 'second ' });
    output.finish('b', 'second try');
    assert.deepEqual(printed, [
      'first try ',
      '\n[nx-parallel] The task started again; its output from the start:\n',
      'second ',
      'try',
    ]);
  });

  it('prints a result without live output whole', () => {
    const { printed, output } = shown();
    output.finish('a', 'all of it');
    assert.deepEqual(printed, ['all of it']);
  });
});
