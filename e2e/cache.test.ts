/**
 * Nx's own cache, shared with `nx run` and `nx run-many`: hits are restored and never run, results
 * are stored for Nx to hit, changed inputs re-run exactly what they affect, and every off switch.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { taskIds } from './support/records';
import { runNx } from './support/run-nx';
import { getSandbox, type Sandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';

/** a <- b, a <- c, each cacheable with its own sources as inputs and dist/<root> as outputs. */
function workspace(sandbox: Sandbox, name: string, parallel: Record<string, unknown> = {}): Workspace {
  const build = { options: { ms: 50, writeOutput: true, lines: 1 } };
  const sources = (project: string) => ({ 'src/index.ts': `export const ${project} = 1;\n` });
  return makeWorkspace(sandbox, {
    name,
    nxJson: {
      targetDefaults: {
        build: {
          dependsOn: ['^build'],
          cache: true,
          inputs: ['{projectRoot}/**/*'],
          outputs: ['{workspaceRoot}/dist/{projectRoot}'],
        },
      },
    },
    projects: {
      a: { targets: { build }, files: sources('a') },
      b: { deps: ['a'], targets: { build }, files: sources('b') },
      c: {
        deps: ['a'],
        targets: {
          build,
          lint: { options: { ms: 0 }, cache: false },
          parallel: parallelTarget({ projects: ['*'], ...parallel }),
        },
        files: sources('c'),
      },
    },
  });
}

const ALL = ['a:build', 'b:build', 'c:build'];

describe("Nx's cache", () => {
  let sandbox: Sandbox;
  const workspaces: Workspace[] = [];
  const make = (name: string, parallel?: Record<string, unknown>): Workspace => {
    const ws = workspace(sandbox, name, parallel);
    workspaces.push(ws);
    return ws;
  };
  before(async () => {
    sandbox = await getSandbox();
  });
  after(() => workspaces.forEach(removeWorkspace));

  test('hits what nx run-many stored: restores the outputs, replays the output, runs nothing', async () => {
    const ws = make('cache-hit');
    const many = await runNx(ws, ['run-many', '-t', 'build']);
    assert.equal(many.code, 0, many.output);
    fs.rmSync(path.join(ws.root, 'dist'), { recursive: true });
    const run = await runNx(ws, ['run', 'c:parallel']);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(taskIds(run.records), [], 'a cached task ran');
    for (const project of ['a', 'b', 'c']) {
      assert.equal(
        fs.readFileSync(path.join(ws.root, 'dist/libs', project, 'out.txt'), 'utf8'),
        `built ${project}:build`,
      );
    }
    assert.match(run.output, /> nx run a:build {2}\[local cache\]\n+LINE a:build 0/);
    assert.match(run.output, /3 succeeded \(3 from cache\)/);
  });

  test('stores what it ran, so nx run-many and the next run hit it', async () => {
    const ws = make('cache-store', { summaryFile: 'summary.json' });
    const first = await runNx(ws, ['run', 'c:parallel']);
    assert.equal(first.code, 0, first.output);
    assert.deepEqual(taskIds(first.records), ALL);
    const many = await runNx(ws, ['run-many', '-t', 'build']);
    assert.deepEqual(taskIds(many.records), [], 'nx run-many ran a task nx-parallel had stored');
    assert.match(many.output, /3\/3 hit/);
    const second = await runNx(ws, ['run', 'c:parallel']);
    assert.deepEqual(taskIds(second.records), []);
    const summary = JSON.parse(fs.readFileSync(path.join(ws.root, 'summary.json'), 'utf8')) as {
      run: { counts: { cached: number } };
      tasks: Array<{ id: string; cached: string | null; hash: string | null }>;
    };
    assert.equal(summary.run.counts.cached, 3);
    for (const task of summary.tasks) {
      assert.equal(task.cached, 'local', task.id);
      assert.match(task.hash ?? '', /^\d+$/, `${task.id} has no hash`);
      assert.ok(
        fs.existsSync(path.join(ws.root, '.nx/cache', task.hash ?? '')),
        `${task.id}'s hash is not Nx's cache entry`,
      );
    }
  });

  test('a changed input re-runs exactly the tasks it affects', async () => {
    const ws = make('cache-change');
    await runNx(ws, ['run', 'c:parallel']);
    fs.writeFileSync(path.join(ws.root, 'libs/b/src/index.ts'), 'export const b = 2;\n');
    const run = await runNx(ws, ['run', 'c:parallel']);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(taskIds(run.records), ['b:build']);
  });

  for (const [name, args, parallel] of [
    ['--skip-nx-cache', ['--skip-nx-cache'], {}],
    ['the skipCache option', [], { skipCache: true }],
  ] as const) {
    test(`${name} neither reads nor writes the cache`, async () => {
      const ws = make('cache-skip', parallel);
      const skipped = await runNx(ws, ['run', 'c:parallel', ...args]);
      assert.equal(skipped.code, 0, skipped.output);
      const many = await runNx(ws, ['run-many', '-t', 'build']);
      assert.deepEqual(taskIds(many.records), ALL, 'the run without the cache stored something');
      const run = await runNx(ws, ['run', 'c:parallel', ...args]);
      assert.deepEqual(taskIds(run.records), ALL, 'a task came from the cache');
    });
  }

  test('hits a task that nx run cached', async () => {
    const ws = make('cache-nx-run');
    const one = await runNx(ws, ['run', 'a:build']);
    assert.equal(one.code, 0, one.output);
    const run = await runNx(ws, ['run', 'c:parallel']);
    assert.deepEqual(taskIds(run.records).sort(), ['b:build', 'c:build'], run.output);
  });

  test('a target with cache: false always runs', async () => {
    const ws = make('cache-off', { targets: ['lint'], projects: ['c'] });
    await runNx(ws, ['run', 'c:parallel']);
    const run = await runNx(ws, ['run', 'c:parallel']);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(taskIds(run.records), ['c:lint']);
  });
});
