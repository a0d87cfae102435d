/**
 * Finds processes that a run left behind: those whose environment carries the run's marker (workers
 * inherit it from the process Nx started) or whose command line names the workspace.
 */
import fs from 'node:fs';

export interface LeftoverProcess {
  pid: number;
  cmdline: string;
}

function readProc(pid: string, file: string): string {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

function isZombie(pid: string): boolean {
  return /\) Z /.test(readProc(pid, 'stat'));
}

export function findLeftoverProcesses(marker: string, workspaceRoot: string): LeftoverProcess[] {
  const found: LeftoverProcess[] = [];
  for (const pid of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    if (Number(pid) === process.pid || isZombie(pid)) continue;
    const cmdline = readProc(pid, 'cmdline').split('\0').join(' ');
    const environ = readProc(pid, 'environ');
    if (environ.includes(marker) || cmdline.includes(workspaceRoot)) found.push({ pid: Number(pid), cmdline });
  }
  return found;
}

/**
 * Waits a bounded while for the processes of a finished run to exit (a worker gets its stop signal
 * as Nx exits and needs a moment to handle it), then returns those still there.
 */
export async function waitForLeftoverProcesses(marker: string, workspaceRoot: string): Promise<LeftoverProcess[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const left = findLeftoverProcesses(marker, workspaceRoot);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
