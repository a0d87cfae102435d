/**
 * `--affected` in the real workspace, for each Nx major in NX_PARALLEL_REAL_MAJORS (default 22,23,24):
 * over a git history of one kind of change per commit (support/affected-history.ts), nx-parallel
 * selects exactly the projects `nx show projects --affected` lists in the same workspace, for
 * explicit `--base`/`--head`, for NX_BASE/NX_HEAD, and for nx.json `defaultBase` with no base given,
 * uncommitted and untracked files included when there is no head. The reference is each major's own
 * answer: where the majors differ, nx-parallel must differ with them.
 *
 * nx-parallel's selection is read from its dry-run plan (`--dryRun --summaryFile`, plan.schema.json)
 * of `build` alone (`--onlySelected`): every project of the fixture has a `build` target.
 *
 * Needs a built plugin (`npm run build`); the package sets are installed once per machine.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { DEFAULT_BASE, HISTORY, LAST_TAG, writeAffectedHistory } from './support/affected-history';
import { NX_ENV } from './support/compare';
import { majorsToTest, type RealWorkspace } from './support/installed-fixture';
import { useRealWorkspaces } from './support/real-workspaces';

const PLAN_FILE = 'tmp/affected-plan.json';

interface Case {
  name: string;
  /** The base and head flags, the same for both commands. */
  args: string[];
  env?: Record<string, string>;
  /** Projects to intersect with: `-p`/`--exclude` for nx show, `projects`/`excludeProjects` for nx-parallel. */
  among?: { projects: string; exclude: string };
}

const CASES: Case[] = [
  ...HISTORY.map((step, index) => {
    const base = index === 0 ? 'c1' : (HISTORY[index - 1]?.tag ?? '');
    return { name: `${step.kind}: --base=${base} --head=${step.tag}`, args: [`--base=${base}`, `--head=${step.tag}`] };
  }),
  { name: `uncommitted and untracked files: --base=${LAST_TAG}, no head`, args: [`--base=${LAST_TAG}`] },
  { name: 'NX_BASE=c1 and NX_HEAD=c3', args: [], env: { NX_BASE: 'c1', NX_HEAD: 'c3' } },
  { name: `nx.json defaultBase (${DEFAULT_BASE}), no base or head`, args: [] },
  {
    name: 'among projects, less excluded ones: --base=c1 --head=c3',
    args: ['--base=c1', '--head=c3'],
    among: { projects: 'util,rlib,stamp', exclude: 'rlib' },
  },
];

interface NxResult {
  code: number | null;
  stdout: string;
  output: string;
}

/**
 * nx in the workspace, with NX_BASE and NX_HEAD only where the case sets them. Plugins load in the
 * nx process itself (no isolation workers): the graph is the same, each command starts faster.
 */
function nx(workspace: RealWorkspace, args: string[], env: Record<string, string> = {}): Promise<NxResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...NX_ENV, NX_ISOLATE_PLUGINS: 'false' };
  delete childEnv['NX_BASE'];
  delete childEnv['NX_HEAD'];
  const child = spawn(workspace.nxBin, args, { cwd: workspace.root, env: { ...childEnv, ...env } });
  let stdout = '';
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, output }));
  });
}

async function nxShowAffected(workspace: RealWorkspace, { args, env, among }: Case): Promise<string[]> {
  const amongArgs = among ? [`--projects=${among.projects}`, `--exclude=${among.exclude}`] : [];
  const result = await nx(workspace, ['show', 'projects', '--affected', '--json', ...args, ...amongArgs], env);
  assert.equal(result.code, 0, result.output);
  return (JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as string[]).sort();
}

/** The projects of the tasks in nx-parallel's dry-run plan; none when it found no task to run. */
async function selectedByParallel(workspace: RealWorkspace, { args, env, among }: Case): Promise<string[]> {
  const planPath = path.join(workspace.root, PLAN_FILE);
  fs.rmSync(planPath, { force: true });
  const result = await nx(
    workspace,
    [
      'run',
      `${workspace.parallelProject}:parallel`,
      '--affected',
      ...args,
      ...(among ? [`--projects=${among.projects}`, `--excludeProjects=${among.exclude}`] : []),
      '--targets=build',
      '--onlySelected',
      '--dryRun',
      '--skipCache',
      `--summaryFile=${PLAN_FILE}`,
    ],
    env,
  );
  assert.equal(result.code, 0, result.output);
  if (!fs.existsSync(planPath)) {
    assert.match(result.output, /No tasks to run/, result.output);
    return [];
  }
  const plan = JSON.parse(fs.readFileSync(planPath, 'utf8')) as { kind: string; tasks: { project: string }[] };
  assert.equal(plan.kind, 'plan');
  return [...new Set(plan.tasks.map((task) => task.project))].sort();
}

const createWorkspace = useRealWorkspaces();

// The majors run side by side, each in its own workspace; the cases of one major one after another.
describe('--affected', { concurrency: true }, () => {
  for (const major of majorsToTest()) {
    describe(`Nx ${major}: --affected selects what nx show projects --affected lists`, { concurrency: false }, () => {
      let workspace: RealWorkspace;
      const answers = new Map<string, string[]>();

      before(async () => {
        workspace = await createWorkspace(major, 'affected');
        writeAffectedHistory(workspace.root);
      });

      for (const testCase of CASES) {
        test(testCase.name, async () => {
          const [expected, selected] = await Promise.all([
            nxShowAffected(workspace, testCase),
            selectedByParallel(workspace, testCase),
          ]);
          answers.set(testCase.name, expected);
          console.log(`Nx ${major}, ${testCase.name}: ${expected.join(', ') || '(none)'}`);
          assert.deepEqual(selected, expected);
        });
      }

      test('the history changes what is affected: a source change selects its project and its dependents', () => {
        // cli, which depends on util, is deleted in a later commit: Nx answers from the project graph of now.
        assert.deepEqual(answers.get(CASES[0]?.name ?? ''), ['api', 'models', 'rlib', 'util', 'vlib']);
        const distinct = new Set([...answers.values()].map((projects) => projects.join(',')));
        assert.ok(distinct.size >= 4, `distinct answers: ${[...distinct].join(' | ')}`);
      });
    });
  }
});
