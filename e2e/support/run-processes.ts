/**
 * Looking at the processes of a run while it goes on: the executor process Nx started for the
 * `parallel` target, its peak memory, and the `sleep 300` processes fault tests start.
 */
import fs from 'node:fs';

function readProc(pid: number, file: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

function pids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

function isZombie(pid: number): boolean {
  return /\) Z /.test(readProc(pid, 'stat'));
}

/** Live processes whose environment carries the run's marker and whose command line matches. */
export function findRunProcesses(marker: string, cmdline: RegExp): number[] {
  return pids().filter(
    (pid) =>
      pid !== process.pid &&
      !isZombie(pid) &&
      cmdline.test(readProc(pid, 'cmdline').split('\0').join(' ')) &&
      readProc(pid, 'environ').split('\0').includes(marker),
  );
}

/** Every live `sleep 300` started by a task of the workspace (tasks get `NX_WORKSPACE_ROOT`). */
export function findSleepers(workspaceRoot: string): number[] {
  return pids().filter(
    (pid) =>
      !isZombie(pid) &&
      readProc(pid, 'cmdline') === 'sleep\x00300\x00' &&
      readProc(pid, 'environ').split('\0').includes(`NX_WORKSPACE_ROOT=${workspaceRoot}`),
  );
}

/** The process Nx runs the `parallel` executor in (`run-executor.js`), once it is there. */
export function findExecutorProcess(marker: string): number | undefined {
  return findRunProcesses(marker, /run-executor\.js/)[0];
}

/** The peak resident memory of a process in bytes (`VmHWM`), or undefined once it is gone. */
export function readPeakMemory(pid: number): number | undefined {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readProc(pid, 'status'));
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Polls `check` every 50 ms until it gives a value, for at most `ms`; fails with `what` after that. */
export async function waitFor<T>(what: string, check: () => T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
