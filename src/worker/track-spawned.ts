/**
 * Reports every process started in this thread or process: every way of starting one (spawn,
 * exec, execFile, fork) goes through ChildProcess#spawn. Used where processes a task starts cannot
 * be found from a worker's own pid: in worker threads and in the main process (`inline`).
 */
import { ChildProcess } from 'node:child_process';

type Spawn = (this: ChildProcess, options: object) => unknown;

/** Calls `onSpawn` with the pid of each process started until the returned function is called. */
export function trackSpawnedProcesses(onSpawn: (pid: number) => void): () => void {
  const own = Object.getOwnPropertyDescriptor(ChildProcess.prototype, 'spawn');
  const spawn = own?.value as Spawn;
  Object.defineProperty(ChildProcess.prototype, 'spawn', {
    configurable: true,
    writable: true,
    value: function (this: ChildProcess, options: object) {
      const result = spawn.call(this, options);
      if (this.pid !== undefined) onSpawn(this.pid);
      return result;
    },
  });
  return () => {
    if (own) Object.defineProperty(ChildProcess.prototype, 'spawn', own);
  };
}
