/**
 * The reaper: one small process per run, in a session of its own, that kills every process of the
 * run when the main process can no longer do it. The main process writes to its stdin, one command
 * a line: `guard <pid> [start]` (a worker, or a process a thread started), `forget <pid>`, `kill`
 * (the run ended abnormally) and `exit` (the run ended and cleaned up after itself). When its stdin
 * closes without `exit`, the main process died, however it died: the reaper kills the trees of the
 * guarded processes then. A signal that ends the reaper (Nx ends a task's whole tree) does the same.
 */
import { killTrees, type TreeRoot } from '../process-tree/kill-tree';

const guarded = new Map<number, TreeRoot>();
let pending = '';

function reap(): never {
  killTrees([...guarded.values()]);
  process.exit(0);
}

function obey(line: string): void {
  const [command, pid, start] = line.trim().split(' ');
  switch (command) {
    case 'guard':
      guarded.set(Number(pid), { pid: Number(pid), start: start || undefined });
      return;
    case 'forget':
      guarded.delete(Number(pid));
      return;
    case 'kill':
      return reap();
    case 'exit':
      return process.exit(0);
    default:
      return;
  }
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop() ?? '';
  lines.forEach(obey);
});
process.stdin.on('end', reap);
process.stdin.on('error', reap);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, reap);
