/**
 * What a run shows: progress (lines without a TTY, a live area on one, through a pseudo-terminal),
 * the summary, the dry run, the summary and trace files, the duration history, and the init
 * generator, in real Nx workspaces.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Ajv from 'ajv';
import { blockOf } from './support/output-blocks';
import { outputLines } from './support/records';
import { NX_ENV, runNx, stripAnsi, type NxRun } from './support/run-nx';
import { getSandbox, REPO_ROOT, type Sandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';

const SUMMARY_SCHEMA = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'summary.schema.json'), 'utf8')) as object;
const HISTORY = '.nx/workspace-data/nx-parallel/history.json';

function project(sandbox: Sandbox, name: string): Workspace {
  return makeWorkspace(sandbox, {
    name,
    projects: {
      a: { targets: { build: { options: { ms: 300, lines: 2 } } } },
      b: { deps: ['a'], targets: { build: { options: { ms: 100, lines: 2 } } } },
      c: { deps: ['a'], targets: { build: { options: { ms: 50, fail: true } } } },
      app: {
        deps: ['b', 'c'],
        targets: {
          build: {},
          parallel: parallelTarget({ nWorkers: 2, summaryFile: 'out/summary.json', profileFile: 'out/trace.json' }),
        },
      },
    },
  });
}

describe('reporting', () => {
  let sandbox: Sandbox;
  const workspaces: Workspace[] = [];
  const workspace = (name: string): Workspace => {
    const created = project(sandbox, name);
    workspaces.push(created);
    return created;
  };
  before(async () => {
    sandbox = await getSandbox();
  });
  after(() => workspaces.forEach(removeWorkspace));

  describe('a run without a TTY', () => {
    let ws: Workspace;
    let run: NxRun;
    before(async () => {
      ws = workspace('report');
      run = await runNx(ws, ['run', 'app:parallel']);
    });

    test('prints one progress line per finished task, with status, duration and worker', () => {
      const progress = outputLines(run.output).filter((line) => /^\[\d+\/4\] /.test(line));
      assert.equal(progress.length, 4, run.output);
      assert.match(
        progress.find((line) => line.includes('a:build')) ?? '',
        /^\[\d\/4\] ✔ a:build succeeded in \S+ on process-\d+$/,
      );
      assert.match(
        progress.find((line) => line.includes('c:build')) ?? '',
        /✖ c:build failed in \S+ on process-\d+ \(the executor reported failure\)$/,
      );
      assert.match(
        progress.find((line) => line.includes('app:build')) ?? '',
        /- app:build skipped: dependency c:build failed$/,
      );
    });

    test('marks the failed block, and the summary names the skipped task with its reason', () => {
      assert.equal(blockOf(run.output, 'c:build').failed, true);
      assert.equal(blockOf(run.output, 'a:build').failed, false);
      assert.match(run.output, /Skipped:\n\s+- app:build \(skipped: dependency c:build failed\)/);
    });

    for (const style of ['stream', 'errors-only']) {
      test(`shows each task's outcome with taskOutput ${style}`, async () => {
        const styled = await runNx(ws, ['run', 'app:parallel', `--taskOutput=${style}`]);
        const lines = outputLines(styled.output);
        for (const expected of [
          /✔ a:build succeeded/,
          /✔ b:build succeeded/,
          /✖ c:build failed/,
          /- app:build skipped: dependency c:build failed/,
        ]) {
          assert.ok(
            lines.some((line) => expected.test(line)),
            `${String(expected)} in:\n${styled.output}`,
          );
        }
        if (style === 'errors-only') assert.equal(blockOf(styled.output, 'c:build').failed, true);
      });
    }

    test('ends with the summary: counts, times, speed-up, critical path, failures', () => {
      assert.notEqual(run.code, 0);
      assert.match(run.output, /2 succeeded, 1 failed, 1 skipped/);
      assert.match(run.output, /wall time \S+, sum of task times \S+, speed-up \d+\.\dx/);
      assert.match(run.output, /critical path \S+: a:build -> /);
      assert.match(run.output, /- c:build \(failed: the executor reported failure\)/);
    });

    test('writes a summary file that matches summary.schema.json', () => {
      const summary = JSON.parse(fs.readFileSync(path.join(ws.root, 'out/summary.json'), 'utf8')) as {
        run: { counts: object; success: boolean; backend: string };
        tasks: Array<{
          id: string;
          status: string;
          reason: string | null;
          workerId: string | null;
          dependencies: string[];
        }>;
      };
      const validate = new Ajv({ allErrors: true, validateFormats: false }).compile(SUMMARY_SCHEMA);
      assert.ok(validate(summary), JSON.stringify(validate.errors));
      assert.deepEqual(summary.run.counts, { succeeded: 2, cached: 0, failed: 1, skipped: 1 });
      assert.equal(summary.run.success, false);
      const byId = new Map(summary.tasks.map((task) => [task.id, task]));
      assert.equal(byId.get('c:build')?.reason, 'executor-failed');
      assert.equal(byId.get('app:build')?.reason, 'dependency-failed');
      assert.match(byId.get('a:build')?.workerId ?? '', /^process-\d+$/);
      assert.deepEqual(byId.get('b:build')?.dependencies, ['a:build']);
    });

    test('writes a Chrome trace: one track per worker, one slice per task that ran', () => {
      const trace = JSON.parse(fs.readFileSync(path.join(ws.root, 'out/trace.json'), 'utf8')) as {
        traceEvents: Array<{ ph: string; name: string; tid: number; ts?: number; dur?: number }>;
      };
      const slices = trace.traceEvents.filter((event) => event.ph === 'X');
      assert.deepEqual(slices.map((slice) => slice.name).sort(), ['a:build', 'b:build', 'c:build (failed)']);
      const tracks = trace.traceEvents.filter((event) => event.name === 'thread_name');
      assert.ok(tracks.length >= 1 && tracks.length <= 2, `${tracks.length} tracks for 2 workers`);
      assert.ok(slices.every((slice) => (slice.ts ?? -1) >= 0 && (slice.dur ?? -1) > 0));
    });

    test('records the durations of succeeded tasks, and a dry run then shows them', async () => {
      const history = JSON.parse(fs.readFileSync(path.join(ws.root, HISTORY), 'utf8')) as {
        tasks: Record<string, { ms: number }>;
      };
      assert.deepEqual(Object.keys(history.tasks).sort(), ['a:build', 'b:build']);
      const dry = await runNx(ws, ['run', 'app:parallel', '--dryRun']);
      assert.equal(dry.code, 0, dry.output);
      assert.deepEqual(dry.records, [], 'a dry run ran a task');
      assert.match(dry.output, /dry run: 4 tasks on 2 workers \(processes\), schedule critical-path; nothing is run/);
      assert.match(dry.output, /^\s+1\s+0\s+\S+\s+\S+\s+a:build$/m);
      assert.match(dry.output, /critical path, estimated \S+: a:build -> /);
      assert.match(dry.output, /estimated wall time/);
    });
  });

  test('a dry run without history shows the plan by task count, and its summary file is the plan', async () => {
    const ws = workspace('dry');
    const dry = await runNx(ws, ['run', 'app:parallel', '--dryRun']);
    assert.equal(dry.code, 0, dry.output);
    assert.deepEqual(dry.records, []);
    assert.match(dry.output, /critical path, 3 tasks \(no recorded durations yet\): a:build -> b:build -> app:build/);
    const written = JSON.parse(fs.readFileSync(path.join(ws.root, 'out/summary.json'), 'utf8')) as {
      kind: string;
      tasks: { estimatedMs: number | null }[];
    };
    assert.equal(written.kind, 'plan');
    assert.ok(written.tasks.every((task) => task.estimatedMs === null));
  });

  test('on a TTY, a live area shows progress and never splits a task block', () => {
    const ws = workspace('tty');
    const command = `${sandbox.nxBin} run app:parallel`;
    // A terminal as a person has it: colours, not CI.
    const env: NodeJS.ProcessEnv = { ...process.env, ...NX_ENV, COLUMNS: '100' };
    for (const name of ['CI', 'NO_COLOR', 'FORCE_COLOR']) delete env[name];
    const result = spawnSync('script', ['-qfec', command, '/dev/null'], {
      cwd: ws.root,
      encoding: 'utf8',
      timeout: 120_000,
      env,
    });
    const raw = result.stdout;
    assert.match(stripAnsi(raw), /nx-parallel 0\/4 done · 1 running/, 'no live area was drawn');
    // Every drawing of the live area is erased before anything else is written.
    const area = /\x1b\[1mnx-parallel\x1b\[22m \d+\/\d+ done[^\n]*\n( {2}[^\n]*\n)*/g;
    const draws = [...raw.matchAll(area)];
    assert.ok(draws.length > 2, `the live area was drawn ${draws.length} times`);
    for (const draw of draws) {
      const next = raw.slice((draw.index ?? 0) + draw[0].length, (draw.index ?? 0) + draw[0].length + 12);
      assert.match(next, /^\x1b\[\d+A\x1b\[0J/, `text written below the live area: ${JSON.stringify(next)}`);
    }
    // Without the live area's lines, every block is whole: its header, then its own lines.
    const screen = stripAnsi(raw)
      .replace(/\r/g, '')
      .split('\n')
      .filter((line) => !/^nx-parallel \d+\/\d+ done|^ {2}› /.test(line))
      .join('\n');
    assert.deepEqual(blockOf(screen, 'a:build').lines.filter(Boolean), ['LINE a:build 0', 'LINE a:build 1']);
    assert.deepEqual(blockOf(screen, 'b:build').lines.filter(Boolean), ['LINE b:build 0', 'LINE b:build 1']);
    // Each finished task gets its line on a terminal too.
    assert.match(screen, /\[\d\/4\] ✔ a:build succeeded in /);
    assert.match(screen, /\[\d\/4\] ✖ c:build failed in /);
    assert.match(screen, /\[\d\/4\] - app:build skipped: dependency c:build failed/);
    assert.equal(blockOf(screen, 'c:build').failed, true);
  });

  describe('the init generator', () => {
    test('adds a parallel target to a project, once', () => {
      const ws = workspace('init');
      const generate = (args: string[]) =>
        spawnSync(sandbox.nxBin, ['g', 'nx-parallel:init', ...args], {
          cwd: ws.root,
          encoding: 'utf8',
          env: { ...process.env, ...NX_ENV },
        });
      const projectJson = path.join(ws.root, 'libs/b/project.json');
      let result = generate(['--project=b']);
      assert.equal(result.status, 0, result.stdout + result.stderr);
      const once = fs.readFileSync(projectJson, 'utf8');
      assert.deepEqual((JSON.parse(once) as { targets: Record<string, unknown> }).targets.parallel, {
        executor: 'nx-parallel:parallel',
        cache: false,
        options: { targets: ['build'] },
      });
      result = generate(['--project=b']);
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.equal(fs.readFileSync(projectJson, 'utf8'), once, 'a second run changed the project');
    });

    test('adds it to nx.json targetDefaults when asked', () => {
      const ws = workspace('init-defaults');
      const result = spawnSync(sandbox.nxBin, ['g', 'nx-parallel:init', '--targetDefaults'], {
        cwd: ws.root,
        encoding: 'utf8',
        env: { ...process.env, ...NX_ENV },
      });
      assert.equal(result.status, 0, result.stdout + result.stderr);
      const nxJson = JSON.parse(fs.readFileSync(path.join(ws.root, 'nx.json'), 'utf8')) as {
        targetDefaults: Record<string, { executor?: string; cache?: boolean }>;
      };
      assert.equal(nxJson.targetDefaults.parallel?.executor, 'nx-parallel:parallel');
      assert.equal(nxJson.targetDefaults.parallel?.cache, false);
    });
  });
});
