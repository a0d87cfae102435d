/**
 * What a task leaves running after it returned: timers and callbacks that print, throw or reject
 * later, maybe while another task runs. Installed once per worker. Output is attributed by its
 * task context: what a finished task writes never reaches another task's output (or its cache
 * entry) but is reported as that task's. An uncaught error or unhandled rejection never ends the
 * worker by itself: it fails the task it belongs to if that task still runs, is reported as its
 * owner's otherwise, and either way the worker is replaced after the task it runs now.
 */
import type { Leftover } from './protocol';
import { currentOwner, promiseOwner, runningTask, type TaskContext } from './task-context';

type Write = NodeJS.WriteStream['write'];

export interface LeftoverGuard {
  /** The streams' own `write`, beneath whatever a task puts over it: for the worker's markers. */
  writeOut: (text: string, done: () => void) => void;
  writeErr: (text: string, done: () => void) => void;
  /** Why the worker must be replaced (an uncaught error was seen), once it is so. */
  taintedBy(): string | undefined;
  /** Settles when the running task hits an uncaught error, with that error's description. */
  crashOf(context: TaskContext): Promise<string>;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

function guardStream(stream: NodeJS.WriteStream, report: (leftover: Leftover) => void): Write {
  const write: Write = stream.write.bind(stream);
  const guarded = function (chunk: unknown, ...rest: unknown[]): boolean {
    const owner = currentOwner();
    if (owner && owner.seq !== runningTask()?.seq) {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      report({ kind: 'output', taskId: owner.taskId, text });
      const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
      if (callback) process.nextTick(callback);
      return true;
    }
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  };
  stream.write = guarded;
  return write;
}

function flushed(stream: NodeJS.WriteStream, write: Write): (text: string, done: () => void) => void {
  return (text, done) => {
    // A task that corked the stream and never uncorked it would hold the marker back forever.
    while (stream.writableCorked > 0) stream.uncork();
    write(text, () => done());
  };
}

export function guardLeftovers(report: (leftover: Leftover) => void): LeftoverGuard {
  const out = guardStream(process.stdout, report);
  const err = guardStream(process.stderr, report);
  let tainted: string | undefined;
  let crash: { seq: number; fail: (text: string) => void } | undefined;
  const onError = (owner: TaskContext | undefined, error: unknown): void => {
    const text = describe(error);
    const running = runningTask();
    tainted ??= `an error was thrown outside a task's promise: ${text.split('\n')[0]}`;
    if (running && crash?.seq === running.seq && (!owner || owner.seq === running.seq)) crash.fail(text);
    else report({ kind: 'error', taskId: owner?.taskId, text });
  };
  process.on('uncaughtException', (error) => onError(currentOwner(), error));
  process.on('unhandledRejection', (reason, promise) => onError(promiseOwner(promise), reason));
  return {
    writeOut: flushed(process.stdout, out),
    writeErr: flushed(process.stderr, err),
    taintedBy: () => tainted,
    crashOf: (context) =>
      new Promise((resolve) => {
        crash = { seq: context.seq, fail: resolve };
      }),
  };
}
