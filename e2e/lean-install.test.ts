/**
 * A local-only install: the packed plugin installed with nx alone, as `npm install nx-parallel`
 * gives it. The distributed backend's packages (optional peers) are not there: the local backends
 * run, and the distributed backend and its agent command name the packages and the command that
 * installs them, in one line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NX_ENV, runNx } from './support/run-nx';
import { getSandbox, REPO_ROOT, type Sandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';

const peers = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    peerDependencies: Record<string, string>;
  }
).peerDependencies;
const install = (names: string[]): string =>
  `npm install --save-dev ${names.map((name) => `${name}@${peers[name] ?? '?'}`).join(' ')}`;
const LOCAL_ONLY_MISSING = ['bullmq', 'ioredis', 'picomatch', 'tar'];
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

/** Every copy of `name` installed under `dir/node_modules`, nested ones too. */
function installedCopies(dir: string, name: string): string[] {
  const modules = path.join(dir, 'node_modules');
  if (!fs.existsSync(modules)) return [];
  const found = fs.existsSync(path.join(modules, name, 'package.json')) ? [path.join(modules, name)] : [];
  for (const entry of fs.readdirSync(modules)) {
    const scoped = entry.startsWith('@') ? fs.readdirSync(path.join(modules, entry)).map((n) => `${entry}/${n}`) : [];
    for (const pkg of entry.startsWith('@') ? scoped : [entry]) {
      found.push(...installedCopies(path.join(modules, pkg), name));
    }
  }
  return found;
}

describe('a local-only install', () => {
  let sandbox: Sandbox;
  let workspace: Workspace;
  before(async () => {
    sandbox = await getSandbox({ lean: true });
    workspace = makeWorkspace(sandbox, {
      name: 'lean',
      projects: {
        lib: {},
        app: { deps: ['lib'], targets: { build: {}, parallel: parallelTarget({ nWorkers: 2 }) } },
      },
    });
  });
  after(() => removeWorkspace(workspace));

  test("brings none of the distributed backend's packages", () => {
    for (const name of ['bullmq', 'ioredis', '@aws-sdk/client-s3']) {
      assert.deepEqual(installedCopies(sandbox.dir, name), [], `${name} is not installed`);
    }
  });

  test('runs the processes backend', async () => {
    const run = await runNx(workspace, ['run', 'app:parallel', '--parallelBackend=processes']);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(run.records.map((record) => record.task).sort(), ['app:build', 'lib:build']);
  });

  for (const [store, missing] of [
    ['redis', LOCAL_ONLY_MISSING],
    ['s3://bucket/prefix', [...LOCAL_ONLY_MISSING, '@aws-sdk/client-s3']],
  ] as const) {
    test(`refuses parallelBackend distributed (artifactStore ${store}), naming the command that installs what it needs`, async () => {
      const run = await runNx(
        workspace,
        ['run', 'app:parallel', '--parallelBackend=distributed', `--artifactStore=${store}`],
        { NX_PARALLEL_REDIS_URL: 'redis://127.0.0.1:1' },
      );
      assert.notEqual(run.code, 0, run.output);
      assert.ok(run.output.includes(`needs ${missing.join(', ')}, which are not installed`), run.output);
      assert.ok(run.output.includes(`Run: ${install([...missing])}`), run.output);
      assert.doesNotMatch(run.output, STACK_LINE);
      assert.deepEqual(run.records, [], 'no task ran');
    });
  }

  test('the agent command `nx-parallel worker` names the same command', () => {
    const agent = spawnSync(
      path.join(sandbox.dir, 'node_modules', '.bin', 'nx-parallel'),
      ['worker', '--redis', 'redis://127.0.0.1:1', '--cwd', workspace.root],
      { encoding: 'utf8', env: { ...process.env, ...NX_ENV }, timeout: 60_000 },
    );
    assert.equal(agent.status, 1, agent.stderr);
    assert.ok(agent.stderr.includes(`Run: ${install(LOCAL_ONLY_MISSING)}`), agent.stderr);
    assert.doesNotMatch(agent.stderr, STACK_LINE);
  });
});
