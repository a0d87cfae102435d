/**
 * Processes the contract suite expects to be gone: the workers of a pool and the `sleep` processes
 * its tasks started. Every pid file a test hands out is tracked, so whatever a failed test left
 * running is killed afterwards.
 */
import { existsSync, readFileSync } from 'node:fs';

/**
 * True once `pid` has exited. A zombie counts as exited: a killed process whose parent is gone is
 * reparented to pid 1, and where pid 1 does not reap (a container's init), it stays a zombie.
 */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  return isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    // The state follows the command name, which is in parentheses and may itself hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Polls, bounded, until every pid is gone; returns those still there at the bound. */
export async function waitUntilGone(pids: readonly number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const alive = pids.filter((pid) => !isGone(pid));
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function readPids(file: string): number[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map(Number);
}

/** Remembers pid files, and kills what they name once a test is over. */
export class PidFiles {
  private readonly files = new Set<string>();

  track(file: string): string {
    this.files.add(file);
    return file;
  }

  killAll(): void {
    for (const file of this.files) {
      if (!existsSync(file)) continue;
      for (const pid of readPids(file)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone already, as it should be.
        }
      }
    }
    this.files.clear();
  }
}
