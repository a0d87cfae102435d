/**
 * The command line of the `nx` process that started this executor. `nx run` removes its own flags
 * (`-t`, `--parallel`, `--exclude`, ...) before the executor sees its options, and the executor's
 * own `process.argv` is empty (Nx forks it), so the only place such a flag can still be seen is the
 * nx process's argv, an ancestor of this process. Linux: /proc; elsewhere `ps`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const MAX_ANCESTORS = 6;
const NX_BIN = /(^|[\\/])nx(\.js)?$/;

interface ProcessInfo {
  argv: string[];
  ppid: number;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces: the fields start after its last `)`.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { argv, ppid };
  } catch {
    try {
      const [ppid, ...args] = execFileSync('ps', ['-o', 'ppid=,args=', '-p', String(pid)], { encoding: 'utf8' })
        .trim()
        .split(/\s+/);
      return { argv: args, ppid: Number(ppid) };
    } catch {
      return undefined;
    }
  }
}

/** The arguments after `nx` of the nearest nx ancestor (`['run', 'app:parallel', '-t', 'test']`), or undefined. */
export function readNxInvocation(startPid: number = process.ppid): string[] | undefined {
  let pid = startPid;
  for (let depth = 0; depth < MAX_ANCESTORS && pid > 1; depth++) {
    const info = readProcess(pid);
    if (!info) return undefined;
    const bin = info.argv.findIndex((arg) => NX_BIN.test(arg));
    if (bin >= 0) return info.argv.slice(bin + 1);
    pid = info.ppid;
  }
  return undefined;
}
