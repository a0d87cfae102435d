/**
 * Tasks that break their worker or cannot run at all: a worker that dies under its task
 * (`process.exit`, SIGKILL, an error outside the executor's promise), `process.chdir()` on threads,
 * an executor that does not exist and options that fail the executor's schema. Each fails its own
 * task with a reason, its dependents are skipped, the other tasks run on replacement workers, and
 * no process of the run is left.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { blockOf } from './support/output-blocks';
import { recordOf, taskIds } from './support/records';
import { runNx, type NxRun } from './support/run-nx';
import { startMarkOf } from './support/start-marks';
import { getSandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type ProjectSpec, type Workspace } from './support/workspace';

const STRICT_EXECUTOR = {
  'tools/strict/package.json': JSON.stringify({ name: 'strict', private: true, executors: './executors.json' }),
  'tools/strict/executors.json': JSON.stringify({
    executors: { strict: { implementation: '../record/record.js', schema: './schema.json', description: 'Strict.' } },
  }),
  'tools/strict/schema.json': JSON.stringify({
    version: 2,
    type: 'object',
    properties: { label: { type: 'string' } },
    required: ['label'],
  }),
};

interface Crash {
  project: string;
  options: Record<string, unknown>;
  /** How the block tells the worker ended. */
  exit: RegExp;
}

function crashesOn(backend: 'processes' | 'threads'): Crash[] {
  const worker = backend === 'processes' ? 'process' : 'thread';
  const crashes: Crash[] = [
    { project: 'exits', options: { exitCode: 3 }, exit: new RegExp(`The worker ${worker} exited with code 3`) },
    {
      project: 'throws-outside',
      options: { throwUncaught: 'thrown outside the promise' },
      exit: /An error was thrown outside the executor's promise, and the worker was replaced:\n.*thrown outside the promise/,
    },
    {
      project: 'rejects-outside',
      options: { rejectUnhandled: 'rejected outside the promise' },
      exit: /An error was thrown outside the executor's promise, and the worker was replaced:\n.*rejected outside the promise/,
    },
  ];
  // On threads, SIGKILL of its own pid would kill the main process: that is no worker crash.
  if (backend === 'processes') {
    crashes.push({ project: 'kills-itself', options: { killSelf: true }, exit: /killed by SIGKILL/ });
  }
  return crashes;
}

for (const backend of ['processes', 'threads'] as const) {
  describe(`a task that breaks its worker or cannot run, on ${backend}`, () => {
    const crashes = crashesOn(backend);
    let workspace: Workspace;
    let run: NxRun;
    before(async () => {
      const projects: Record<string, ProjectSpec> = {
        'no-executor': { targets: { build: { executor: './tools/nope:nope' } } },
        'bad-options': { targets: { build: { executor: './tools/strict:strict', options: { label: 7 } } } },
        // Lowest priority (no dependents), so with one worker it runs after every crash.
        solo: {},
        runner: { targets: { parallel: parallelTarget({ projects: ['*'], nWorkers: 1, parallelBackend: backend }) } },
      };
      for (const crash of crashes) {
        projects[crash.project] = { targets: { build: { options: crash.options } } };
        projects[`${crash.project}-dependent`] = { deps: [crash.project] };
      }
      if (backend === 'threads') projects['changes-dir'] = { targets: { build: { options: { chdir: 'libs' } } } };
      workspace = makeWorkspace(await getSandbox(), {
        name: `faults-crash-${backend}`,
        projects,
        files: STRICT_EXECUTOR,
      });
      run = await runNx(workspace, ['run', 'runner:parallel']);
    });
    after(() => removeWorkspace(workspace));

    test('fails the run', () => {
      assert.notEqual(run.code, 0, run.output);
    });

    test('fails a task whose worker died with reason worker-crashed, and says how the worker ended', () => {
      for (const { project, exit } of crashes) {
        assert.match(run.output, new RegExp(`- ${project}:build \\(failed: worker-crashed\\)`), run.output);
        assert.match(blockOf(run.output, `${project}:build`).lines.join('\n'), exit);
      }
    });

    test('skips the dependents of a crashed task', () => {
      for (const { project } of crashes) assert.ok(!taskIds(run.records).includes(`${project}-dependent:build`));
      assert.match(
        run.output,
        new RegExp(
          `\\b1 succeeded, ${crashes.length + 2 + (backend === 'threads' ? 1 : 0)} failed, ${crashes.length} skipped\\b`,
        ),
      );
    });

    test('runs an independent task after the crashes on a replacement worker', () => {
      const solo = recordOf(run.records, 'solo:build');
      for (const { project } of crashes) {
        const crashed = startMarkOf(workspace.root, `${project}:build`);
        assert.ok(solo.start >= Math.floor(crashed.at), `${project} started after solo`);
        if (backend === 'processes') assert.notEqual(solo.pid, crashed.pid);
        else assert.notEqual(solo.threadId, crashed.threadId);
      }
      assert.deepEqual(taskIds(run.records), ['solo:build']);
    });

    test('fails a task whose executor does not exist with one line naming it, and no stack', () => {
      assert.match(run.output, /- no-executor:build \(failed: threw\)/);
      const block = blockOf(run.output, 'no-executor:build').lines.join('\n');
      assert.match(block, /Nx cannot find the executor '\.\/tools\/nope:nope': .*Install the package that provides it/);
      assert.doesNotMatch(block, /^\s+at /m);
    });

    test("fails a task whose options do not match its executor's schema, with Nx message in its block", () => {
      assert.match(run.output, /- bad-options:build \(failed: threw\)/);
      const block = blockOf(run.output, 'bad-options:build').lines.join('\n');
      // Nx throws a SchemaError, which is no Error subclass: its message must still reach the block.
      assert.match(block, /Property 'label' does not match the schema\. '7' should be a 'string'/);
    });

    if (backend === 'threads') {
      test('fails a task calling process.chdir() and says to use the processes backend', () => {
        assert.match(run.output, /- changes-dir:build \(failed: threw\)/);
        const block = blockOf(run.output, 'changes-dir:build').lines.join('\n');
        assert.match(block, /threads backend cannot change the working directory/);
        assert.match(block, /parallelBackend "processes"/);
      });
    }

    test('leaves no process behind', () => {
      assert.deepEqual(run.leftovers, []);
    });
  });
}
