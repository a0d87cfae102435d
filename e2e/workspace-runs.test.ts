/**
 * One run per task at a time: two `parallel` targets started by one `nx run-many` never build the
 * same task at once, and a run whose tasks a live run holds is refused with waitForOtherRuns false,
 * naming that run.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runNx } from './support/run-nx';
import { getSandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';

describe('runs sharing tasks', () => {
  let workspace: Workspace;

  before(async () => {
    const sandbox = await getSandbox();
    workspace = makeWorkspace(sandbox, {
      name: 'runs',
      projects: {
        lib: { targets: { build: { options: { ms: 400 } } } },
        one: { deps: ['lib'], targets: { build: {}, parallel: parallelTarget({ nWorkers: 1 }) } },
        two: { deps: ['lib'], targets: { build: {}, parallel: parallelTarget({ nWorkers: 1 }) } },
      },
    });
  });
  after(() => removeWorkspace(workspace));

  test('nx run-many -t parallel never builds one task twice at once', async () => {
    const run = await runNx(workspace, [
      'run-many',
      '-t',
      'parallel',
      '-p',
      'one,two',
      '--parallel=2',
      '--output-style=static',
    ]);
    assert.equal(run.code, 0, run.output);
    const libBuilds = run.records.filter((record) => record.task === 'lib:build').sort((a, b) => a.start - b.start);
    assert.equal(libBuilds.length, 2, run.output);
    const [first, second] = libBuilds as [(typeof libBuilds)[0], (typeof libBuilds)[0]];
    assert.ok(first.end <= second.start, `lib:build ran twice at once: ${JSON.stringify(libBuilds)}`);
  });

  test('a run whose tasks a live run holds is refused with waitForOtherRuns false, naming it', async () => {
    const dir = path.join(workspace.root, '.nx', 'workspace-data', 'nx-parallel', 'runs');
    fs.mkdirSync(dir, { recursive: true });
    // This test's own process stands for the live run.
    const claim = path.join(dir, `${process.pid}-test.json`);
    fs.writeFileSync(
      claim,
      JSON.stringify({ pid: process.pid, owner: 'elsewhere:parallel', startedAt: Date.now(), taskIds: ['lib:build'] }),
    );
    try {
      const run = await runNx(workspace, ['run', 'one:parallel', '--waitForOtherRuns=false']);
      assert.notEqual(run.code, 0);
      assert.match(run.output, /Another nx-parallel run \(elsewhere:parallel, pid \d+\) is building lib:build/);
      assert.deepEqual(run.records, []);
    } finally {
      fs.rmSync(claim, { force: true });
    }
  });
});
