/**
 * Kills whole process trees with SIGKILL, synchronously: the tree is found from one snapshot of the
 * process table and every process in it is killed before any of them can react, and before the
 * caller itself can be ended (Nx ends the executor's process within milliseconds of a Ctrl-C). A
 * tree is a root, its descendants, and every process in a process group or session that one of
 * them leads: `nx:run-commands` starts its commands in sessions of their own, and what a killed
 * process started an instant earlier is still found through its group.
 */
import { execFileSync } from 'node:child_process';
import { readProcessStart, readProcessTable, type ProcessEntry } from './process-table';

/** A process to kill with its tree; `start` (when known) tells it apart from a later one that got its pid. */
export interface TreeRoot {
  pid: number;
  start?: string;
}

/** A live process as a tree root, with its start time where the platform tells it; undefined once it is gone. */
export function treeRoot(pid: number): TreeRoot | undefined {
  if (process.platform !== 'linux') return { pid };
  const start = readProcessStart(pid);
  return start === undefined ? undefined : { pid, start };
}

export interface ProcessTree {
  pids: number[];
  /** Process groups led by a process of the tree. */
  groups: number[];
}

/** The processes of the trees of `roots` in `table`, never including `self` or its own group. */
export function findTree(table: ProcessEntry[], roots: readonly TreeRoot[], self: number): ProcessTree {
  const byPid = new Map(table.map((entry) => [entry.pid, entry]));
  const own = byPid.get(self);
  const members = new Set<number>();
  for (const root of roots) {
    const entry = byPid.get(root.pid);
    if (entry && (root.start === undefined || entry.start === undefined || entry.start === root.start)) {
      members.add(root.pid);
    }
  }
  // Descendants, and members of groups and sessions led by a member, until nothing new is found.
  for (let grown = true; grown;) {
    grown = false;
    for (const entry of table) {
      if (members.has(entry.pid)) continue;
      const led = (id: number | undefined): boolean => id !== undefined && id !== entry.pid && members.has(id);
      if (members.has(entry.ppid) || led(entry.pgid) || led(entry.sid)) {
        members.add(entry.pid);
        grown = true;
      }
    }
  }
  members.delete(self);
  const groups = new Set<number>();
  for (const entry of table) if (members.has(entry.pgid) && entry.pgid !== own?.pgid) groups.add(entry.pgid);
  return { pids: [...members], groups: [...groups] };
}

function signal(target: number): void {
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

function killOnWindows(roots: readonly TreeRoot[]): void {
  for (const { pid } of roots) {
    try {
      execFileSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' });
    } catch {
      // Gone already.
    }
  }
}

/** Kills the trees of `roots` with SIGKILL and returns once every signal was sent. */
export function killTrees(roots: readonly TreeRoot[]): void {
  if (roots.length === 0) return;
  if (process.platform === 'win32') return killOnWindows(roots);
  const tree = findTree(readProcessTable(), roots, process.pid);
  for (const group of tree.groups) signal(-group);
  for (const pid of tree.pids) signal(pid);
}
