import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Redis from 'ioredis';
import { startRedis, type TestRedis } from '../../test-support/redis-server';
import type { RunAnnouncement } from './job-protocol';
import {
  announceRun,
  endRun,
  listRuns,
  type Malformed,
  refreshRun,
  reportPresence,
  refuseRun,
  RUN_TTL_MS,
  sweepExpiredRuns,
} from './run-registry';

let server: TestRedis;
let redis: Redis;
before(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});
after(async () => {
  await redis.quit();
  await server.stop();
});

const fingerprint = {
  commit: 'c',
  changes: 'clean',
  submodules: 'none',
  lockFile: 'none',
  nx: '24.0.0',
  nxParallel: '0.1.0',
};

describe('run registry', () => {
  it("a worker's presence or refusal written after the run ended expires", async () => {
    await endRun(redis, 'ended');
    await reportPresence(redis, 'ended', { workerId: 'w1', concurrency: 1, lastSeen: 1 });
    await refuseRun(redis, 'ended', { workerId: 'w2', fingerprint, reason: 'differs' });
    for (const key of ['nx-parallel:run:ended:workers', 'nx-parallel:run:ended:refusals']) {
      const ttl = await redis.pttl(key);
      assert.ok(ttl > 0 && ttl <= RUN_TTL_MS, `${key}: PTTL ${ttl}`);
    }
  });

  it('lists open runs, and sweeps a run whose coordinator stopped refreshing it exactly once', async () => {
    const run = (runId: string): Omit<RunAnnouncement, 'protocol'> => ({
      runId,
      queue: `nx-parallel-${runId}`,
      coordinator: 'host:1',
      fingerprint,
      selection: { targets: ['build'], projects: [], excludeProjects: [], onlySelected: false },
      graphHash: 'h',
      artifactStore: 'redis',
      lockMs: 10_000,
      taskTimeoutMs: 0,
      createdAt: Date.now(),
      signed: false,
    });
    await announceRun(redis, run('alive'), 60_000);
    await announceRun(redis, run('abandoned'), 60_000);
    await redis.del('nx-parallel:run:abandoned'); // as if its announcement expired
    await redis.zadd('nx-parallel:runs', '0', 'foreign');
    await redis.set('nx-parallel:run:foreign', '{"runId": "foreign"}', 'PX', 60_000);
    const malformed: Malformed[] = [];
    assert.deepEqual(
      (await listRuns(redis, (m) => malformed.push(m))).map((r) => r.runId),
      ['alive'],
    );
    assert.deepEqual(
      malformed.map((m) => m.key),
      ['nx-parallel:run:foreign'],
    );
    await redis.multi().zrem('nx-parallel:runs', 'foreign').del('nx-parallel:run:foreign').exec();
    assert.equal(await refreshRun(redis, 'alive', 60_000), true);
    assert.equal(await refreshRun(redis, 'abandoned', 60_000), false);

    assert.deepEqual(await Promise.all([sweepExpiredRuns(redis), sweepExpiredRuns(redis)]).then((r) => r.flat()), [
      'abandoned',
    ]);
    await endRun(redis, 'alive');
    assert.deepEqual(await listRuns(redis), []);
  });
});
