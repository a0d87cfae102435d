/**
 * `affected`: the projects selected are exactly those `nx show projects --affected` lists for the
 * same base and head, over a git history of several changes, with the defaults of `nx affected`
 * (NX_BASE/NX_HEAD, nx.json defaultBase, the working tree as head), and intersected with
 * `projects` and `excludeProjects`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { commitChange, initHistory, writeFiles } from './support/git-history';
import { getSandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';
import { runNx, type NxRun } from './support/run-nx';
import { taskIds } from './support/records';

describe('affected runs', () => {
  let workspace: Workspace;

  before(async () => {
    const sandbox = await getSandbox();
    // app -> api -> lib, app -> web -> util; lib and api are tagged api.
    workspace = makeWorkspace(sandbox, {
      name: 'affected',
      nxJson: { defaultBase: 'c2' },
      projects: {
        lib: { tags: ['api'], files: { 'src.txt': '1' } },
        util: { files: { 'src.txt': '1' } },
        api: { tags: ['api'], deps: ['lib'], files: { 'src.txt': '1' } },
        web: { deps: ['util'], files: { 'src.txt': '1' } },
        app: {
          deps: ['api', 'web'],
          targets: { build: {}, parallel: parallelTarget({ nWorkers: 2, onlySelected: true }) },
        },
      },
    });
    const root = workspace.root;
    initHistory(root, 'c1');
    commitChange(root, 'c2', { 'libs/lib/src.txt': '2' });
    commitChange(root, 'c3', { 'libs/web/src.txt': '2' });
    commitChange(root, 'c4', { 'libs/util/src.txt': '2', 'libs/api/src.txt': '2' });
    commitChange(root, 'c5', { 'README.md': 'not in any project' });
    // Uncommitted: a change to app, and an untracked file in lib.
    writeFiles(root, { 'libs/app/new.txt': 'untracked', 'libs/api/src.txt': '3' });
  });
  after(() => removeWorkspace(workspace));

  async function nxAffected(args: string[], env: Record<string, string> = {}): Promise<string[]> {
    const run = await runNx(workspace, ['show', 'projects', '--affected', '--json', ...args], env);
    assert.equal(run.code, 0, run.output);
    return (JSON.parse(run.stdout.trim().split('\n').pop() ?? '[]') as string[]).sort();
  }

  /** The projects whose build ran (the target runs only the selected tasks). */
  function built(run: NxRun): string[] {
    assert.equal(run.code, 0, run.output);
    return taskIds(run.records).map((id) => id.split(':')[0] ?? id);
  }

  const parallel = (args: string[], env: Record<string, string> = {}): Promise<NxRun> =>
    runNx(workspace, ['run', 'app:parallel', '--affected', ...args], env);

  const RANGES: [string, string | undefined][] = [
    ['c1', 'c2'],
    ['c2', 'c3'],
    ['c3', 'c4'],
    ['c1', 'c4'],
    ['c4', 'c5'],
    ['c4', undefined],
    ['c5', undefined],
  ];
  for (const [base, head] of RANGES) {
    test(`selects what nx show projects --affected lists, base ${base}, head ${head ?? 'the working tree'}`, async () => {
      const refs = [`--base=${base}`, ...(head ? [`--head=${head}`] : [])];
      const expected = await nxAffected(refs);
      assert.ok(expected.length > 0 || base === 'c4', `the range ${base}..${head} affects something`);
      assert.deepEqual(built(await parallel(refs)), expected);
    });
  }

  test('defaults as nx affected: NX_BASE and NX_HEAD, then nx.json defaultBase', async () => {
    const env = { NX_BASE: 'c2', NX_HEAD: 'c3' };
    assert.deepEqual(built(await parallel([], env)), await nxAffected([], env));
    assert.deepEqual(built(await parallel([])), await nxAffected([]));
  });

  test('intersects with projects and excludeProjects', async () => {
    const all = await nxAffected(['--base=c1']);
    const run = await parallel(['--base=c1', '--projects=tag:api,web', '--excludeProjects=api']);
    assert.deepEqual(
      built(run),
      all.filter((name) => ['lib', 'web'].includes(name)),
    );
  });

  test('a range that affects no selected project says so and succeeds', async () => {
    const run = await parallel(['--base=c2', '--head=c3', '--projects=tag:api']);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(run.records, []);
    assert.match(run.output, /No tasks to run/);
  });

  test('an unknown base is refused with what to do', async () => {
    const run = await parallel(['--base=no-such-ref']);
    assert.notEqual(run.code, 0);
    assert.match(run.output, /Could not find the projects affected .*fetch-depth: 0/s);
  });
});
