/**
 * Task output as users read it: grouped blocks that never interleave (also for the processes a task
 * spawns), `stream` lines prefixed with their task id, `errors-only`, and a very long output kept
 * whole through Nx's own pipes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getSandbox, type Sandbox } from './support/sandbox';
import { makeWorkspace, parallelTarget, removeWorkspace, type Workspace } from './support/workspace';
import { runNx, type NxRun } from './support/run-nx';
import { outputLines, overlap, recordOf } from './support/records';
import { blockOf } from './support/output-blocks';

const SLOW_LINES = 8;
const BIG_LINES = 40_000;
const RC_COMMAND = `node -e "console.log('RC-OUT')"`;

/** Two tasks that print lines slowly at the same time (each waits until the other has started). */
const slowPrinters = (lines: number) => {
  const options = { barrier: ['slow1:build', 'slow2:build'], lines, lineMs: 25, ms: 0 };
  return { slow1: { targets: { build: { options } } }, slow2: { targets: { build: { options } } } };
};

function linesOf(output: string, taskId: string): number[] {
  const indices: number[] = [];
  outputLines(output).forEach((line, index) => {
    if (line.includes(`LINE ${taskId} `)) indices.push(index);
  });
  return indices;
}

function assertContiguousBlock(run: NxRun, taskId: string, count: number): void {
  const block = blockOf(run.output, taskId);
  const printed = block.lines.filter((line) => line.startsWith('LINE '));
  assert.deepEqual(
    printed,
    Array.from({ length: count }, (_, i) => `LINE ${taskId} ${i}`),
    `${taskId}'s lines, in order and alone in its block`,
  );
  assert.equal(linesOf(run.output, taskId).length, count, `${taskId}'s lines appear outside its block`);
}

describe('task output', () => {
  let sandbox: Sandbox;
  const workspaces: Workspace[] = [];
  const workspace = (name: string, projects: Parameters<typeof makeWorkspace>[1]['projects']): Workspace => {
    const made = makeWorkspace(sandbox, { name, projects });
    workspaces.push(made);
    return made;
  };
  before(async () => {
    sandbox = await getSandbox();
  });
  after(() => workspaces.forEach(removeWorkspace));

  for (const backend of ['processes', 'threads'] as const) {
    describe(`grouped on ${backend}`, () => {
      let run: NxRun;
      before(async () => {
        const ws = workspace(`output-grouped-${backend}`, {
          ...slowPrinters(SLOW_LINES),
          // rc runs after the printers and before next, which the pool gives rc's worker again: output
          // of rc that arrives late would land in next's block.
          rc: {
            deps: ['slow1', 'slow2'],
            targets: { build: { executor: 'nx:run-commands', options: { command: RC_COMMAND } } },
          },
          next: { deps: ['rc'], targets: { build: { options: { lines: 2, ms: 0 } } } },
          runner: {
            targets: { parallel: parallelTarget({ projects: ['*'], nWorkers: 2, parallelBackend: backend }) },
          },
        });
        run = await runNx(ws, ['run', 'runner:parallel']);
      });

      test('succeeds with both printers running at the same time', () => {
        assert.equal(run.code, 0, run.output);
        assert.ok(overlap(recordOf(run.records, 'slow1:build'), recordOf(run.records, 'slow2:build')));
      });

      test("keeps each task's lines together under its header", () => {
        assertContiguousBlock(run, 'slow1:build', SLOW_LINES);
        assertContiguousBlock(run, 'slow2:build', SLOW_LINES);
        assertContiguousBlock(run, 'next:build', 2);
      });

      test("puts an nx:run-commands task's output, and the command it ran, in its own block", () => {
        const block = blockOf(run.output, 'rc:build');
        assert.ok(block.lines.includes('RC-OUT'), block.lines.join('\n'));
        const lines = outputLines(run.output);
        lines.forEach((line, index) => {
          if (line === 'RC-OUT' || line.includes(RC_COMMAND)) {
            assert.ok(
              index > block.start && index <= block.start + block.lines.length,
              `'${line}' (line ${index}) is outside rc:build's block:\n${run.output}`,
            );
          }
        });
      });

      test('leaves no process behind', () => {
        assert.deepEqual(run.leftovers, []);
      });
    });
  }

  describe('stream', () => {
    let run: NxRun;
    before(async () => {
      const ws = workspace('output-stream', {
        ...slowPrinters(SLOW_LINES),
        runner: { targets: { parallel: parallelTarget({ projects: ['*'], nWorkers: 2, taskOutput: 'stream' }) } },
      });
      run = await runNx(ws, ['run', 'runner:parallel']);
    });

    test('prefixes every line with its task id', () => {
      assert.equal(run.code, 0, run.output);
      const printed = outputLines(run.output).filter((line) => line.includes('LINE '));
      assert.equal(printed.length, 2 * SLOW_LINES, printed.join('\n'));
      for (const line of printed) assert.match(line, /^(slow[12]:build): LINE \1 \d+$/);
      for (const task of ['slow1:build', 'slow2:build']) {
        const own = printed.filter((line) => line.startsWith(`${task}: `));
        assert.deepEqual(
          own,
          Array.from({ length: SLOW_LINES }, (_, i) => `${task}: LINE ${task} ${i}`),
        );
      }
    });
  });

  describe('errors-only', () => {
    let run: NxRun;
    before(async () => {
      const ws = workspace('output-errors-only', {
        ok: { targets: { build: { options: { lines: 3 } } } },
        bad: { targets: { build: { options: { lines: 3, fail: true } } } },
        runner: {
          targets: { parallel: parallelTarget({ projects: ['*'], nWorkers: 2, taskOutput: 'errors-only' }) },
        },
      });
      run = await runNx(ws, ['run', 'runner:parallel']);
    });

    test("shows the failed task's block and nothing of the succeeded one", () => {
      assert.notEqual(run.code, 0, run.output);
      assert.deepEqual(
        [...new Set(run.records.map((record) => record.task))].sort(),
        ['bad:build', 'ok:build'],
        'both tasks ran',
      );
      const block = blockOf(run.output, 'bad:build');
      assert.deepEqual(
        block.lines.filter((line) => line.startsWith('LINE ')),
        ['LINE bad:build 0', 'LINE bad:build 1', 'LINE bad:build 2'],
      );
      assert.doesNotMatch(run.output, /> nx run ok:build/);
      assert.doesNotMatch(run.output, /LINE ok:build/);
    });
  });

  describe(`a task printing ${BIG_LINES} lines`, () => {
    let run: NxRun;
    before(async () => {
      const ws = workspace('output-big', {
        big: {
          targets: { build: { options: { lines: BIG_LINES, ms: 0 } }, parallel: parallelTarget({ nWorkers: 1 }) },
        },
      });
      run = await runNx(ws, ['run', 'big:parallel']);
    });

    test('shows every line exactly once, in order', () => {
      assert.equal(run.code, 0, run.output.slice(-3000));
      // Nx forwards the output in pipe-sized chunks and ends each chunk with a newline, so a line may
      // arrive cut in two: compare the block's text without line breaks.
      const block = blockOf(run.output, 'big:build');
      const text = block.lines.filter((line) => line !== '').join('');
      const expected = Array.from({ length: BIG_LINES }, (_, i) => `LINE big:build ${i}`).join('');
      if (text !== expected) {
        const lastLine = /LINE big:build (\d+)$/.exec(text)?.[1];
        assert.fail(`the block has ${text.length} of ${expected.length} characters; it ends with line ${lastLine}`);
      }
      assert.match(run.output, /nx-parallel ran 1 task\b/, 'the summary is printed after the output');
    });
  });
});
