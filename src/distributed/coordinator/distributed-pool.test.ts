/**
 * The coordinator against a real Redis, with the test process playing the agent through BullMQ:
 * the order jobs are taken in, results and outputs coming back, the agents' presence, and what a
 * closed run leaves in Redis. How tasks fail is in distributed-pool-failures.test.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import type { PoolRunResult } from '../../pool/worker-pool';
import { coordinatorInit, poolOptions, succeeded, useCoordinatorHarness } from '../../test-support/coordinator-harness';
import { startRedis } from '../../test-support/redis-server';
import { packToBuffer } from '../../test-support/archive-buffer';
import { createArtifactStore } from '../artifacts/create-artifact-store';
import { DistributedPool } from './distributed-pool';
import type { OutputChunk } from '../protocol/job-output';
import { listRuns, reportPresence } from '../protocol/run-registry';

describe('DistributedPool', () => {
  const h = useCoordinatorHarness();

  it('hands out the queued tasks highest rank first, and passes each result and its output on', async () => {
    const outputs = new Map<string, string>();
    const results = [
      { seq: 0, taskId: 'a:build', priority: 1 },
      { seq: 1, taskId: 'b:build', priority: 3 },
      { seq: 2, taskId: 'c:build', priority: 2 },
    ].map((request) => h.pool.run(request, (text) => outputs.set(request.taskId, text)));
    const taken: string[] = [];
    await h.waitForQueued(3);
    await h.serve((job) => {
      taken.push(job.data.taskId);
      return Promise.resolve(succeeded(`ran ${job.data.taskId}`));
    });

    const settled = await Promise.all(results);
    assert.deepEqual(taken, ['b:build', 'c:build', 'a:build']);
    assert.deepEqual(
      settled.map((result: PoolRunResult) => result.outcome.status),
      ['succeeded', 'succeeded', 'succeeded'],
    );
    assert.equal(outputs.get('c:build'), 'ran c:build');
  });

  it('shows output sent live while the task runs, and the rest from the result, once', async () => {
    const printed: string[] = [];
    let seenLive!: () => void;
    const live = new Promise<void>((resolve) => (seenLive = resolve));
    await h.serve(async (job, token) => {
      const chunk: OutputChunk = { attempt: token ?? '', from: 0, text: 'compiling\n' };
      await job.updateProgress(chunk);
      await live; // the coordinator printed it before the task ended
      return { ...succeeded('compiling\ndone\n'), attempt: token };
    });

    const result = await h.pool.run({ seq: 0, taskId: 'a:build' }, (text) => {
      printed.push(text);
      if (text === 'compiling\n') seenLive();
    });

    assert.equal(result.outcome.status, 'succeeded');
    assert.deepEqual(printed, ['compiling\n', 'done\n']);
  });

  it("restores the outputs a worker stored into the coordinator's workspace", async () => {
    const store = createArtifactStore('redis', { redis: h.client });
    await h.serve(async (job) => {
      const machine = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-machine-'));
      fs.mkdirSync(path.join(machine, 'dist/a'), { recursive: true });
      fs.writeFileSync(path.join(machine, 'dist/a/out.txt'), 'from the worker');
      const packed = await packToBuffer(machine, ['dist/a']);
      fs.rmSync(machine, { recursive: true, force: true });
      const key = `${job.data.runId}/a/1`;
      await store.put(key, Readable.from([packed.data]));
      return { ...succeeded(''), artifact: { key, sha256: packed.sha256, bytes: packed.data.length } };
    });

    const result = await h.pool.run({ seq: 0, taskId: 'a:build' }, () => undefined);

    assert.equal(result.outcome.status, 'succeeded');
    assert.equal(fs.readFileSync(path.join(h.root, 'dist/a/out.txt'), 'utf8'), 'from the worker');
  });

  it('says which workers joined and which stopped answering', async () => {
    const [run] = await listRuns(h.client);
    assert.ok(run);
    await reportPresence(h.client, run.runId, { workerId: 'ci-7', concurrency: 4, lastSeen: 1 });
    const deadline = Date.now() + 10_000;
    while (!h.notices.some((notice) => notice.kind === 'agent-silent' && notice.workerId === 'ci-7')) {
      assert.ok(Date.now() < deadline, `no word of the silent worker: ${JSON.stringify(h.notices)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(
      h.notices.find((notice) => notice.kind === 'agent-joined'),
      { kind: 'agent-joined', workerId: 'ci-7', concurrency: 4 },
    );
  });

  it('leaves no job, no run and no archive in Redis once closed', async () => {
    void h.pool.run({ seq: 0, taskId: 'a:build' }, () => undefined);
    const [run] = await listRuns(h.client);
    assert.ok(run);
    await h.pool.close();

    assert.deepEqual(await listRuns(h.client), []);
    assert.deepEqual(await h.client.keys(`*${run.runId}*`), []);
  });

  it('stops the run when Redis keeps its connections but answers nothing', async () => {
    const frozen = await startRedis();
    const lost: string[] = [];
    const other = new DistributedPool({
      ...poolOptions(frozen.url, () => undefined),
      timing: { checkMs: 100, redisSilentMs: 1500, closeDeadlineMs: 500 },
    });
    try {
      await other.initialize(coordinatorInit(h.root));
      other.onLost((cause) => lost.push(cause));
      frozen.process.kill('SIGSTOP');
      const result = await other.run({ seq: 0, taskId: 'a:build' }, () => undefined);
      assert.equal(result.outcome.status, 'failed');
      assert.equal(lost.length, 1);
      assert.match(lost[0] ?? '', /^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/? has not answered for 1.5s/);
    } finally {
      await other.close();
      frozen.process.kill('SIGCONT');
      await frozen.stop();
    }
  });
});
