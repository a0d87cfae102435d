/**
 * `nx-parallel worker` as a CI job uses it: its help, its refusals of bad arguments, and the two ways
 * it ends by itself (`--runs`, `--idle-timeout`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Cluster } from './support/cluster';
import { useClusterTestbed } from './support/cluster-testbed';
import { MAKE_FILES, MAKE_TARGET_DEFAULTS, make, readRan, startWorker } from './support/distributed';
import { NX_ENV, runNx } from './support/run-nx';
import { waitFor } from './support/run-processes';
import { parallelTarget } from './support/workspace';

describe('nx-parallel worker', () => {
  const bed = useClusterTestbed();

  const makeCluster = (): Cluster =>
    bed.track(
      new Cluster(
        bed.sandbox,
        {
          name: 'worker-cli',
          nxJson: { targetDefaults: MAKE_TARGET_DEFAULTS },
          files: MAKE_FILES,
          projects: {
            lib: { targets: { build: make() } },
            app: {
              deps: ['lib'],
              targets: { build: make(), parallel: parallelTarget({ parallelBackend: 'distributed' }) },
            },
          },
        },
        bed.redis.url,
      ),
    );

  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(path.join(bed.sandbox.dir, 'node_modules', '.bin', 'nx-parallel'), args, {
      encoding: 'utf8',
      env: { ...process.env, ...NX_ENV, NX_PARALLEL_REDIS_URL: '', ...env },
      timeout: 30_000,
    });

  test('prints its usage, and refuses what it cannot work with, saying what to pass', () => {
    const help = cli(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: nx-parallel worker \[options\]/);
    assert.match(help.stdout, /--runs <n>/);

    const cases: [string[], RegExp][] = [
      [['worker'], /No Redis: pass --redis <url> or set NX_PARALLEL_REDIS_URL/],
      [['worker', '--redis', bed.redis.url, '--concurrency', '0'], /--concurrency takes an integer >= 1, not '0'/],
      [['serve'], /Unknown command/],
      [
        ['worker', '--redis', 'redis://127.0.0.1:1'],
        /Cannot use Redis at redis:\/\/127\.0\.0\.1:1\/? \(ECONNREFUSED\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = cli(args);
      assert.equal(result.status, 1, args.join(' '));
      assert.match(result.stderr, message);
    }
  });

  test('--idle-timeout: ends when no run came for that long', () => {
    const workspace = makeCluster().machine('idle');
    const result = cli(['worker', '--idle-timeout', '1', '--cwd', workspace.root], {
      NX_PARALLEL_REDIS_URL: bed.redis.url,
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /No run for 1s; stopping\./);
  });

  test('--runs 1: serves one run, then ends', async () => {
    const machines = makeCluster();
    const worker = startWorker(machines.machine('once'), {
      redisUrl: bed.redis.url,
      name: 'once',
      sharedDir: machines.shared,
      args: ['--runs', '1'],
    });
    try {
      await worker.waitFor(/waits for runs/);

      const run = await runNx(machines.coordinator, ['run', 'app:parallel'], machines.env());

      assert.equal(run.code, 0, run.output);
      assert.equal(await worker.exited, 0, worker.log());
      // Its warm worker processes end with it.
      await waitFor('nothing of the worker to be left', () => worker.processes().length === 0, 5000);
      assert.deepEqual(
        readRan(machines.shared).map((r) => r.task),
        ['lib:build', 'app:build'],
      );
    } finally {
      await worker.stop('SIGKILL');
    }
  });
});
