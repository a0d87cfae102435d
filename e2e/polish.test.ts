/**
 * What a newcomer meets: an executor Nx cannot find is one clear line, the continuous-task refusal
 * names the task that depends on the continuous one, `--help` does not offer `--configuration`,
 * and the README's links to docs/ resolve in the installed package.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runNx } from './support/run-nx';
import { getSandbox, REPO_ROOT } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';

describe('polish', () => {
  let workspace: Workspace;

  before(async () => {
    const sandbox = await getSandbox();
    workspace = makeWorkspace(sandbox, {
      name: 'polish',
      projects: {
        lib: { targets: { build: { executor: '@no-such/plugin:build' } } },
        web: { targets: { serve: { continuous: true }, e2e: { dependsOn: ['serve'] } } },
        other: {},
        app: { deps: ['lib'], targets: { build: {}, parallel: parallelTarget({ projects: ['app', 'other'] }) } },
      },
    });
  });
  after(() => removeWorkspace(workspace));

  test('an executor Nx cannot find fails its task in one line, without a stack; the others run', async () => {
    const run = await runNx(workspace, ['run', 'app:parallel']);
    assert.notEqual(run.code, 0);
    assert.match(run.output, /- lib:build \(failed: threw\)/);
    assert.match(run.output, /Nx cannot find the executor '@no-such\/plugin:build': .*Install the package/);
    assert.doesNotMatch(run.output, /^\s+at .*nx-parallel[\\/]dist/m);
    assert.deepEqual(
      run.records.map((record) => record.task),
      ['other:build'],
    );
  });

  test('the continuous-task refusal names the task that depends on it', async () => {
    const run = await runNx(workspace, ['run', 'app:parallel', '--projects=web', '--targets=e2e']);
    assert.notEqual(run.code, 0);
    assert.match(run.output, /web:e2e depends on the continuous task web:serve/);
    assert.match(run.output, /Remove that dependency from web:e2e/);
  });

  test('--help does not offer --configuration', async () => {
    const help = await runNx(workspace, ['run', 'app:parallel', '--help']);
    assert.equal(help.code, 0, help.output);
    assert.match(help.output, /--nWorkers/);
    assert.doesNotMatch(help.output, /--configuration/);
  });

  test("the README's links to docs/ are files the package ships", () => {
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    assert.equal(pack.status, 0, pack.stderr);
    const files = new Set(
      (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]?.files.map((file) => file.path),
    );
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\((docs\/[^)#]+)/g)].map((match) => match[1] as string);
    const mentions = [...readme.matchAll(/\b(docs\/[\w.-]+\.md)\b/g)].map((match) => match[1] as string);
    assert.ok(links.length > 0, 'the README links to docs/');
    for (const link of new Set([...links, ...mentions])) assert.ok(files.has(link), `${link} is not in the package`);
  });
});
