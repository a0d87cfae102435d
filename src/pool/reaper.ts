/**
 * The main process's side of the reaper (see reaper-entry.ts): starts it when a pool is made and
 * tells it which processes to guard. Nothing here waits for it: a reaper that could not start or
 * died leaves the main process's own cleanup as it was.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { TreeRoot } from '../process-tree/kill-tree';

const ENTRY = require.resolve('./reaper-entry');

export class Reaper {
  private readonly process: ChildProcess;
  private done = false;

  constructor() {
    // A broken NODE_OPTIONS (the task's business) must not keep the reaper from starting.
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    this.process = spawn(process.execPath, [ENTRY], {
      // A session of its own: a signal to the terminal's or to nx's process group does not reach it.
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env,
    });
    this.process.on('error', () => undefined);
    this.process.stdin?.on('error', () => undefined);
    this.process.unref();
    // The pipe must not keep the main process alive either: its end is the reaper's signal.
    (this.process.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  }

  guard(root: TreeRoot): void {
    this.send(`guard ${root.pid} ${root.start ?? ''}`);
  }

  forget(pid: number): void {
    this.send(`forget ${pid}`);
  }

  /** The run ends abnormally: the reaper kills what it guards, as the main process does too. */
  kill(): void {
    this.send('kill');
    this.done = true;
  }

  /** The run ended and its processes were ended: the reaper exits without killing anything. */
  release(): void {
    this.send('exit');
    this.done = true;
    this.process.stdin?.end();
  }

  private send(line: string): void {
    if (this.done) return;
    this.process.stdin?.write(`${line}\n`);
  }
}
