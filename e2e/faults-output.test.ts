/**
 * A task printing 50 MiB on the processes backend: all of it arrives, and the executor process's
 * peak memory grows by much less than that (output past 1 MiB waits in a file, not in memory). The
 * peak is compared with that of a run printing 1 MiB, so the plugin's own footprint cancels out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runMeasured, type MeasuredRun } from './support/measure-peak';
import { getSandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';

const MIB = 1024 * 1024;
const BIG_MB = 50;

function countHashes(text: string): number {
  let count = 0;
  for (let i = text.indexOf('#'); i !== -1; i = text.indexOf('#', i + 1)) count++;
  return count;
}

describe('a task printing 50 MiB on processes', () => {
  let workspace: Workspace;
  let big: MeasuredRun;
  let small: MeasuredRun;
  before(async () => {
    workspace = makeWorkspace(await getSandbox(), {
      name: 'faults-output',
      projects: {
        big: { targets: { build: { options: { bigOutputMb: BIG_MB } } } },
        small: { targets: { build: { options: { bigOutputMb: 1 } } } },
        runner: {
          targets: {
            big: parallelTarget({ projects: ['big'], parallelBackend: 'processes' }),
            small: parallelTarget({ projects: ['small'], parallelBackend: 'processes' }),
          },
        },
      },
    });
    small = await runMeasured(workspace, 'runner:small');
    big = await runMeasured(workspace, 'runner:big');
  });
  after(() => removeWorkspace(workspace));

  test('succeeds and prints every byte of the output', () => {
    assert.equal(big.run.code, 0, big.run.output.slice(-2000));
    assert.equal(countHashes(big.run.stdout), BIG_MB * (MIB - 1));
  });

  test('grows the peak memory of the executor process by less than the output', () => {
    assert.equal(small.run.code, 0, small.run.output.slice(-2000));
    assert.ok(small.peak > 0 && big.peak > 0, 'the executor process was not measured');
    // Measured: about 30 MB of garbage-collector slack for 50 MiB, about 40 MB for 150 MiB; output
    // held in memory would add its whole size on top.
    const growth = big.peak - small.peak;
    assert.ok(growth < BIG_MB * MIB, `peak ${big.peak} vs ${small.peak} bytes: grew by ${growth}`);
  });

  test('leaves no process behind', () => {
    assert.deepEqual(big.run.leftovers, []);
  });
});
