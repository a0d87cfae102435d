/**
 * A process that spilled task output, ended every way a run's process can end: it leaves no
 * `nx-parallel-output-*` folder in its TMPDIR. Each case runs in a real child process with a TMPDIR
 * of its own.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SPILL_DIRECTORY_PREFIX } from './spill-directory';

const REPO_ROOT = join(__dirname, '../..');

/** Spills an output, says so on stdout, then does what `then` says. */
const CHILD = `
const { TaskOutput } = require('./src/report/task-output');
const output = new TaskOutput();
output.append('x'.repeat(2 << 20));
const then = process.argv[1];
if (then === 'handle') process.once('SIGTERM', () => { console.log('handled'); process.exit(0); });
if (then === 'throw') setImmediate(() => { throw new Error('boom'); });
if (then === 'exit') setImmediate(() => process.exit(3));
if (then === 'wait' || then === 'handle') setInterval(() => undefined, 1000);
console.log('spilled');
`;

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
}

function runChild(temp: string, then: string, signal?: NodeJS.Signals): Promise<Ended> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', CHILD, then], {
    cwd: REPO_ROOT,
    env: { ...process.env, TMPDIR: temp },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    stdout += text;
    if (signal && stdout.includes('spilled\n')) {
      assert.equal(spills(temp).length, 1, 'the child did not spill');
      child.kill(signal);
      signal = undefined;
    }
  });
  return new Promise((resolve) => child.on('close', (code, ended) => resolve({ code, signal: ended, stdout })));
}

const spills = (temp: string): string[] => readdirSync(temp).filter((name) => name.startsWith(SPILL_DIRECTORY_PREFIX));

describe('the spill folder of a process that ends', () => {
  let temp: string;
  beforeEach(() => (temp = mkdtempSync(join(tmpdir(), 'nx-parallel-spill-test-'))));
  afterEach(() => rmSync(temp, { recursive: true, force: true }));

  it('is removed when the process exits of its own accord or by process.exit()', async () => {
    const idle = await runChild(temp, 'return');
    assert.equal(idle.code, 0);
    assert.deepEqual(spills(temp), []);
    const exited = await runChild(temp, 'exit');
    assert.equal(exited.code, 3);
    assert.deepEqual(spills(temp), []);
  });

  it('is removed when an uncaught exception ends the process', async () => {
    const ended = await runChild(temp, 'throw');
    assert.equal(ended.code, 1);
    assert.deepEqual(spills(temp), []);
  });

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`is removed when ${signal} ends the process, which still dies of the signal`, async () => {
      const ended = await runChild(temp, 'wait', signal);
      assert.equal(ended.signal, signal);
      assert.deepEqual(spills(temp), []);
    });
  }

  it('leaves a signal the process handles itself to its handler, and is removed on the way out', async () => {
    const ended = await runChild(temp, 'handle', 'SIGTERM');
    assert.equal(ended.code, 0);
    assert.match(ended.stdout, /handled/);
    assert.deepEqual(spills(temp), []);
  });
});
