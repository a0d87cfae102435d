import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import type { PoolOptions, WorkerPool } from '../../pool/worker-pool';
import type { WorkspaceFingerprint } from '../protocol/fingerprint';
import { WarmPool } from './warm-pool';

const fingerprint: WorkspaceFingerprint = {
  commit: 'c1',
  changes: 'clean',
  submodules: 'none',
  lockFile: 'package-lock.json:0123',
  nx: '24.0.6',
  nxParallel: '0.1.0',
};
const settings: PoolOptions = {
  size: 2,
  env: { PATH: '/bin' },
  onStrayOutput: () => undefined,
  taskTimeoutMs: 0,
  maxTasksPerWorker: undefined,
};

interface FakePool extends WorkerPool {
  closed: boolean;
  /** Pools still open when this one was made. */
  othersOpen: number;
}

function fakePools(keepWarmMs = 60_000): { warm: WarmPool; made: FakePool[]; logged: string[] } {
  const made: FakePool[] = [];
  const logged: string[] = [];
  const warm = new WarmPool({
    keepWarmMs,
    log: (line) => logged.push(line),
    createPool: (options) => {
      const pool: FakePool = {
        size: options.size,
        closed: false,
        othersOpen: made.filter((other) => !other.closed).length,
        initialize: () => undefined,
        run: () => Promise.reject(new Error('not used')),
        close: () => {
          pool.closed = true;
          return Promise.resolve();
        },
      };
      made.push(pool);
      return pool;
    },
  });
  return { warm, made, logged };
}

describe('WarmPool', () => {
  it('gives a run of the same fingerprint and settings the warm pool', async () => {
    const { warm, made } = fakePools();
    const first = await warm.acquire(fingerprint, settings);
    warm.release();
    assert.equal(await warm.acquire({ ...fingerprint }, { ...settings, onStrayOutput: () => undefined }), first);
    assert.equal(made.length, 1);
    await warm.close();
    assert.ok(made[0]?.closed);
  });

  it('ends the warm pool before it makes one for another fingerprint or other settings', async () => {
    const others: [WorkspaceFingerprint, PoolOptions][] = [
      [{ ...fingerprint, changes: 'uncommitted changes 89ab' }, settings],
      [fingerprint, { ...settings, maxTasksPerWorker: 3 }],
      [fingerprint, { ...settings, taskTimeoutMs: 1000 }],
      [fingerprint, { ...settings, env: { PATH: '/usr/bin' } }],
    ];
    for (const [otherFingerprint, otherSettings] of others) {
      const { warm, made, logged } = fakePools();
      await warm.acquire(fingerprint, settings);
      warm.release();
      await warm.acquire(otherFingerprint, otherSettings);
      assert.deepEqual(
        made.map((pool) => [pool.closed, pool.othersOpen]),
        [
          [true, 0],
          [false, 0],
        ],
      );
      assert.match(logged.join('\n'), /Ends the warm worker processes: this run is of another workspace/);
      await warm.close();
    }
  });

  it('numbers tasks over the life of the pool, not per run', async () => {
    const { warm } = fakePools();
    await warm.acquire(fingerprint, settings);
    const firstRun = [warm.nextSeq(), warm.nextSeq()];
    warm.release();
    await warm.acquire(fingerprint, settings);
    assert.deepEqual([...firstRun, warm.nextSeq()], [0, 1, 2]);
    await warm.close();
  });

  it('ends a released pool after keepWarmMs, and not while a run holds it', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const { warm, made, logged } = fakePools(1000);
      await warm.acquire(fingerprint, settings);
      mock.timers.tick(5000);
      assert.equal(made[0]?.closed, false, 'a pool in use is ended');
      warm.release();
      mock.timers.tick(999);
      assert.equal(made[0]?.closed, false);
      mock.timers.tick(1);
      assert.equal(made[0]?.closed, true);
      assert.deepEqual(logged, ['Ended the warm worker processes: no run for 1s.']);
      const next = await warm.acquire(fingerprint, settings);
      assert.notEqual(next, made[0], 'an ended pool is given out again');
      await warm.close();
    } finally {
      mock.timers.reset();
    }
  });
});
