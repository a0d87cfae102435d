/**
 * The process-wide state a task can change and a later task on the same warm worker could see:
 * the exit code, the working directory, the environment, `process.argv`, the umask, listeners on
 * `process`, the `console` methods and what was put over the standard streams' `write`. `captureProcessState` takes it before a task; `restore`
 * puts it back after, and says what it could not put back (the worker is then replaced).
 */
import { isMainThread } from 'node:worker_threads';
import { replaceProcessEnv } from './task-env';

export interface ProcessState {
  /** Puts the state back; returns why the worker must be replaced, if something could not be. */
  restore(): string | undefined;
}

export interface CaptureOptions {
  /**
   * Also restore the listeners on `process`, the `console` methods and the standard streams'
   * `write`: right in a worker, which owns its process; not in the main process (`inline`), whose
   * own listeners come and go.
   */
  listeners: boolean;
}

type Listener = (...args: unknown[]) => void;

function currentCwd(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined; // the folder was removed
  }
}

function captureListeners(): () => void {
  const saved = new Map<string | symbol, Listener[]>();
  for (const name of process.eventNames()) saved.set(name, process.rawListeners(name) as Listener[]);
  return () => {
    for (const name of new Set([...saved.keys(), ...process.eventNames()])) {
      const before = saved.get(name) ?? [];
      const now = process.rawListeners(name) as Listener[];
      for (const listener of now) if (!before.includes(listener)) process.removeListener(name, listener);
      for (const listener of before) if (!now.includes(listener)) process.on(name, listener);
    }
  };
}

/** What a task put over `write` of the standard streams (to catch output, say) comes off again. */
function captureStreamWrites(): () => void {
  const streams = [process.stdout, process.stderr];
  const saved = streams.map((stream) => Object.getOwnPropertyDescriptor(stream, 'write'));
  return () =>
    streams.forEach((stream, i) => {
      const descriptor = saved[i];
      if (descriptor) Object.defineProperty(stream, 'write', descriptor);
      else delete (stream as Partial<NodeJS.WriteStream>).write;
    });
}

function captureConsole(): () => void {
  const instance = globalThis.console;
  const methods = Object.getOwnPropertyDescriptors(instance);
  return () => {
    globalThis.console = instance;
    for (const [name, descriptor] of Object.entries(methods)) {
      if (Object.getOwnPropertyDescriptor(instance, name)?.value !== descriptor.value) {
        Object.defineProperty(instance, name, descriptor);
      }
    }
  };
}

export function captureProcessState(options: CaptureOptions): ProcessState {
  const exitCode = process.exitCode;
  const cwd = process.cwd();
  const env = { ...process.env } as Record<string, string>;
  const argv = [...process.argv];
  const argvArray = process.argv;
  // process.umask() cannot set the mask in a worker thread, so a task there cannot change it either.
  const umask = isMainThread ? process.umask() : undefined;
  const restoreListeners = options.listeners ? captureListeners() : undefined;
  const restoreConsole = options.listeners ? captureConsole() : undefined;
  const restoreStreams = options.listeners ? captureStreamWrites() : undefined;
  return {
    restore() {
      process.exitCode = exitCode;
      replaceProcessEnv(env);
      argvArray.splice(0, argvArray.length, ...argv);
      process.argv = argvArray;
      if (umask !== undefined && process.umask() !== umask) process.umask(umask);
      restoreListeners?.();
      restoreConsole?.();
      restoreStreams?.();
      if (currentCwd() === cwd) return undefined;
      try {
        process.chdir(cwd);
        return undefined;
      } catch (error) {
        return `it could not return to ${cwd} (${String(error)})`;
      }
    },
  };
}
