/**
 * The machine-readable plan: `--dryRun --summaryFile` writes the plan as JSON matching
 * plan.schema.json, with each task's hash and cache status (local hit, miss after a change, off);
 * the text dry run shows the cache status; `graphFile` writes the task graph with the critical path.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Ajv from 'ajv';
import { runNx } from './support/run-nx';
import { getSandbox, REPO_ROOT } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';

const PLAN_SCHEMA = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'plan.schema.json'), 'utf8')) as object;

interface PlanFile {
  kind: string;
  run: { cache: { enabled: boolean } };
  criticalPath: { taskIds: string[] };
  tasks: Array<{ id: string; rank: number; level: number; hash: string | null; cache: string; dependencies: string[] }>;
}

describe('the plan file and the graph file', () => {
  let workspace: Workspace;
  const read = (file: string): string => fs.readFileSync(path.join(workspace.root, file), 'utf8');
  const plan = (): PlanFile => JSON.parse(read('out/plan.json')) as PlanFile;
  const byId = (file: PlanFile) => new Map(file.tasks.map((task) => [task.id, task]));

  before(async () => {
    const sandbox = await getSandbox();
    const build = { options: { ms: 20, writeOutput: true } };
    workspace = makeWorkspace(sandbox, {
      name: 'plan',
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
        a: { targets: { build }, files: { 'src.txt': '1' } },
        b: { deps: ['a'], targets: { build }, files: { 'src.txt': '1' } },
        app: {
          deps: ['b'],
          targets: { build, parallel: parallelTarget({ nWorkers: 2 }) },
          files: { 'src.txt': '1' },
        },
      },
    });
    const first = await runNx(workspace, ['run', 'app:parallel']);
    assert.equal(first.code, 0, first.output);
  });
  after(() => removeWorkspace(workspace));

  test('a dry run writes the plan: hashes, cache hits, ranks, levels, dependencies; runs nothing', async () => {
    const dry = await runNx(workspace, ['run', 'app:parallel', '--dryRun', '--summaryFile=out/plan.json']);
    assert.equal(dry.code, 0, dry.output);
    assert.deepEqual(dry.records, []);
    const file = plan();
    const validate = new Ajv({ allErrors: true }).compile(PLAN_SCHEMA);
    assert.ok(validate(file), JSON.stringify(validate.errors));
    assert.equal(file.kind, 'plan');
    const tasks = byId(file);
    assert.deepEqual([...tasks.keys()], ['a:build', 'b:build', 'app:build']);
    for (const task of file.tasks) {
      assert.equal(task.cache, 'local', task.id);
      assert.match(task.hash ?? '', /^\d+$|^[0-9a-f]+$/, task.id);
    }
    assert.deepEqual(
      file.tasks.map((task) => [task.id, task.rank, task.level]),
      [
        ['a:build', 1, 0],
        ['b:build', 2, 1],
        ['app:build', 3, 2],
      ],
    );
    assert.deepEqual(tasks.get('app:build')?.dependencies, ['b:build']);
    assert.deepEqual(file.criticalPath.taskIds, ['a:build', 'b:build', 'app:build']);
    // The text plan shows the cache status too.
    assert.match(dry.output, /^\s+1\s+0\s+\S+\s+local\s+a:build$/m);
    assert.match(dry.output, /cache: 3 of 3 tasks would be restored, not run/);
  });

  test('a changed input is a miss for its task (its inputs here are its own files only)', async () => {
    fs.writeFileSync(path.join(workspace.root, 'libs/b/src.txt'), '2');
    const dry = await runNx(workspace, ['run', 'app:parallel', '--dryRun', '--summaryFile=out/plan.json']);
    assert.equal(dry.code, 0, dry.output);
    const tasks = byId(plan());
    assert.equal(tasks.get('a:build')?.cache, 'local');
    assert.equal(tasks.get('b:build')?.cache, 'miss');
    assert.equal(tasks.get('app:build')?.cache, 'local');
    assert.match(dry.output, /^\s+\d\s+1\s+\S+\s+miss\s+b:build$/m);
  });

  test('with the cache off, the plan says so', async () => {
    const dry = await runNx(workspace, [
      'run',
      'app:parallel',
      '--dryRun',
      '--skipCache',
      '--summaryFile=out/plan.json',
    ]);
    assert.equal(dry.code, 0, dry.output);
    const file = plan();
    assert.equal(file.run.cache.enabled, false);
    assert.ok(file.tasks.every((task) => task.cache === 'off' && task.hash === null));
    assert.match(dry.output, /cache off \(the skipCache option\)/);
  });

  test('graphFile writes the task graph in DOT, Mermaid or JSON with the critical path marked', async () => {
    for (const file of ['out/graph.dot', 'out/graph.mmd', 'out/graph.json']) {
      const dry = await runNx(workspace, ['run', 'app:parallel', '--dryRun', `--graphFile=${file}`]);
      assert.equal(dry.code, 0, dry.output);
    }
    assert.match(read('out/graph.dot'), /"a:build" -> "b:build" \[color=red, penwidth=2\];/);
    assert.match(read('out/graph.mmd'), /^flowchart LR\n[\s\S]*class t0,t1,t2 critical/);
    const json = JSON.parse(read('out/graph.json')) as { criticalPath: string[] };
    assert.deepEqual(json.criticalPath, ['a:build', 'b:build', 'app:build']);
    const refused = await runNx(workspace, ['run', 'app:parallel', '--graphFile=out/graph.png']);
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.output,
      /Invalid value "out\/graph\.png" for option 'graphFile'.*\.dot, \.gv, \.mmd, \.mermaid, \.json/,
    );
  });
});
