/**
 * Runs the sandbox's nx once and times it from spawn to exit. nx's output goes to a file: when its
 * stdout is a pipe read more slowly than it is written, nx 24 loses the end of the output.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { NX_ENV } from '../e2e/support/run-nx';

const TIMEOUT_MS = 5 * 60 * 1000;

export interface TimedNxRun {
  code: number | null;
  ms: number;
  /** Where nx's stdout and stderr went. */
  logFile: string;
}

export async function runNxTimed(
  nxBin: string,
  cwd: string,
  args: string[],
  logFile: string,
  env: Record<string, string> = {},
): Promise<TimedNxRun> {
  const fd = fs.openSync(logFile, 'w');
  const start = performance.now();
  const child = spawn(nxBin, args, {
    cwd,
    env: { ...process.env, ...NX_ENV, ...env },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  fs.closeSync(fd);
  // A hung run is ended with its whole process group, so that it leaves nothing behind.
  const timer = setTimeout(() => {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  }, TIMEOUT_MS);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (exitCode) => resolve(exitCode));
    });
    return { code, ms: performance.now() - start, logFile: path.resolve(logFile) };
  } finally {
    clearTimeout(timer);
  }
}
