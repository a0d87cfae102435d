/**
 * Tasks that do ordinary hostile things to their worker, all on one warm worker: wrap
 * process.stdout.write and drop its callback, cork stdout for good, remove the folder they changed
 * into, leave an uncaughtException listener that swallows everything, and leave timers that print,
 * reject or throw while the next task runs. The run ends, every task gets its own result, what a
 * finished task leaves behind is reported as its own (never in another task's block), and no
 * process is left.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { blockOf } from './support/output-blocks';
import { runNx, type NxRun } from './support/run-nx';
import { getSandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type ProjectSpec, type Workspace } from './support/workspace';

const lateMark = (project: string): string => `marks/${project}_build.started.late`;

/**
 * `project` leaves a timer that fires `kind` once `next` started; `next` waits for it to fire. Each
 * pair runs after `before`, so one worker runs the whole chain in order: an error a task leaves
 * retires its worker after the next task, and with it the timers any other task left.
 */
function leftover(
  before: string | undefined,
  project: string,
  next: string,
  kind: 'print' | 'reject' | 'throw',
): Record<string, ProjectSpec> {
  return {
    [project]: {
      deps: before ? [before] : [],
      targets: { build: { options: { ms: 0, leave: { after: `${next}:build`, kind } } } },
    },
    [next]: {
      deps: [project],
      targets: { build: { options: { ms: 0, lines: 1, waitForFiles: [lateMark(project)] } } },
    },
  };
}

for (const backend of ['processes', 'threads'] as const) {
  describe(`hostile tasks on one ${backend} worker`, () => {
    // A thread cannot change its folder at all, so it cannot remove the one it is in.
    const hostile =
      backend === 'processes' ? ['drops', 'corks', 'removes-cwd', 'swallows'] : ['drops', 'corks', 'swallows'];
    let workspace: Workspace;
    let run: NxRun;
    before(async () => {
      const options: Record<string, Record<string, unknown>> = {
        drops: { dropWriteCallback: true, lines: 2 },
        corks: { cork: true },
        'removes-cwd': { removeCwd: true },
        swallows: { swallowErrors: true },
      };
      const projects: Record<string, ProjectSpec> = {
        ...leftover(undefined, 'prints-late', 'after-print', 'print'),
        ...leftover('after-print', 'rejects-late', 'after-reject', 'reject'),
        ...leftover('after-reject', 'throws-late', 'after-throw', 'throw'),
        // Thrown outside its promise after the swallowing listener of the task before it.
        crashes: {
          deps: [hostile.at(-1) as string],
          targets: { build: { options: { throwUncaught: 'crash of crashes' } } },
        },
        runner: { targets: { parallel: parallelTarget({ projects: ['*'], nWorkers: 1, parallelBackend: backend }) } },
      };
      hostile.forEach((name, i) => {
        projects[name] = {
          deps: [i ? (hostile[i - 1] as string) : 'after-throw'],
          targets: { build: { options: { ms: 0, ...options[name] } } },
        };
      });
      workspace = makeWorkspace(await getSandbox(), { name: `faults-hostile-${backend}`, projects });
      run = await runNx(workspace, ['run', 'runner:parallel']);
    });
    after(() => removeWorkspace(workspace));

    test('ends, with every task its own result', () => {
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, /- crashes:build \(failed: worker-crashed\)/);
      assert.match(run.output, new RegExp(`\\b${hostile.length + 6} succeeded, 1 failed, 0 skipped\\b`), run.output);
    });

    test("a swallowing listener a task left does not hide the next task's crash", () => {
      assert.match(blockOf(run.output, 'crashes:build').lines.join('\n'), /crash of crashes/);
    });

    test('output a corked task wrote is still its own', () => {
      assert.ok(blockOf(run.output, 'corks:build').lines.includes('CORKED corks:build'), run.output);
      assert.ok(blockOf(run.output, 'drops:build').lines.includes('LINE drops:build 1'), run.output);
    });

    test("what a finished task prints or throws later is reported as its own, not in the next task's block", () => {
      for (const next of ['after-print', 'after-reject', 'after-throw']) {
        const block = blockOf(run.output, `${next}:build`).lines.join('\n');
        assert.doesNotMatch(block, /LATE|late rejection|late throw/, `${next}: ${block}`);
      }
      assert.match(run.output, /prints-late:build printed after it ended:\n.*LATE prints-late:build/);
      assert.match(
        run.output,
        /rejects-late:build left an error after it ended[^\n]*\n.*late rejection of rejects-late:build/,
      );
      assert.match(
        run.output,
        /throws-late:build left an error after it ended[^\n]*\n.*late throw of throws-late:build/,
      );
    });

    test('leaves no process behind', () => {
      assert.deepEqual(run.leftovers, []);
    });
  });
}
