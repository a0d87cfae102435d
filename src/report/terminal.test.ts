import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeStream } from '../test-support/fake-stream';
import { broadcast, createReporters } from './create-reporters';
import type { RunEvent } from './events';
import { Terminal } from './terminal';

const ANSI_COLOUR = /\x1b\[[0-9;]*m/g;

/** The rows a terminal shows for what was written: text, newlines, cursor up (`ESC[nA`) and clear down (`ESC[0J`). */
function screen(written: string): string[] {
  const rows: string[] = [''];
  let row = 0;
  let col = 0;
  const text = written.replace(ANSI_COLOUR, '');
  for (let i = 0; i < text.length; i++) {
    const control = /^\x1b\[(\d*)([A-Za-z])/.exec(text.slice(i));
    if (control) {
      const [sequence, count, command] = control;
      if (command === 'A') row = Math.max(0, row - Number(count || 1));
      else if (command === 'J') rows.length = row + 1;
      if (command === 'J') rows[row] = (rows[row] ?? '').slice(0, col);
      i += sequence.length - 1;
      continue;
    }
    const char = text[i] as string;
    if (char === '\n') {
      row++;
      col = 0;
      if (rows.length <= row) rows.push('');
      continue;
    }
    const line = (rows[row] ?? '').padEnd(col);
    rows[row] = line.slice(0, col) + char + line.slice(col + 1);
    col++;
  }
  return rows[rows.length - 1] === '' ? rows.slice(0, -1) : rows;
}

const started: RunEvent = {
  type: 'run-started',
  taskIds: ['a:build', 'b:build'],
  tasks: [],
  options: {},
  dependencies: {},
  recordedMs: new Map(),
  workers: 2,
  backend: 'processes',
  start: 0,
};

function liveRun(isTTY: boolean): { stream: FakeStream; emit: (event: RunEvent) => void } {
  const stream = new FakeStream({ isTTY });
  const emit = broadcast(createReporters('grouped', new Terminal(stream)));
  void emit(started);
  void emit({ type: 'task-started', taskId: 'a:build' });
  return { stream, emit: (event) => void emit(event) };
}

describe('Terminal on a TTY', () => {
  it('prints a warning emitted while the live area is shown above it, intact', () => {
    const { stream, emit } = liveRun(true);
    const live = screen(stream.written);
    assert.match(live[0] ?? '', /^nx-parallel 0\/2 done · 1 running/);
    emit({ type: 'notice', notice: { kind: 'cache-unavailable', error: 'Error: locked' } });
    assert.deepEqual(screen(stream.written), [
      "[nx-parallel] Nx's cache could not be opened (Error: locked); this run does not use it.",
      ...live,
    ]);
  });

  it('holds stray output until its line ends, so the live area is never drawn inside a line', () => {
    const { stream, emit } = liveRun(true);
    const live = screen(stream.written);
    emit({ type: 'notice', notice: { kind: 'stray-output', text: 'half of a li' } });
    assert.deepEqual(screen(stream.written), live);
    emit({ type: 'notice', notice: { kind: 'stray-output', text: 'ne\nand the ' } });
    emit({ type: 'notice', notice: { kind: 'stray-output', text: 'next one\n' } });
    assert.deepEqual(screen(stream.written), ['half of a line', 'and the next one', ...live]);
  });

  it('writes a held partial line when the live area goes away', async () => {
    const stream = new FakeStream({ isTTY: true });
    const terminal = new Terminal(stream);
    terminal.setLiveArea(['status']);
    await terminal.out('no newline');
    terminal.setLiveArea([]);
    assert.deepEqual(screen(stream.written), ['no newline']);
  });
});

describe('Terminal without a TTY', () => {
  it('writes text as it comes, with no live area and no cursor movement', () => {
    const { stream, emit } = liveRun(false);
    emit({ type: 'notice', notice: { kind: 'stray-output', text: 'half of a li' } });
    assert.equal(stream.written, 'half of a li');
    emit({ type: 'notice', notice: { kind: 'stray-output', text: 'ne\n' } });
    emit({ type: 'notice', notice: { kind: 'agent-joined', workerId: 'w1', concurrency: 2 } });
    assert.equal(
      stream.written.replace(ANSI_COLOUR, ''),
      'half of a line\n[nx-parallel] Agent w1 joined the run (2 at a time).\n',
    );
  });
});
