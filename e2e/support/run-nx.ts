/** Runs the sandbox's nx in a workspace and collects what the recording executor wrote. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitForLeftoverProcesses, type LeftoverProcess } from './leftover-processes';
import type { Workspace } from './workspace';

export const NX_ENV: Record<string, string> = {
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  CI: 'true',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

const MARKER_VARIABLE = 'NX_PARALLEL_E2E_RUN';
const TIMEOUT_MS = 120_000;

/** One line of `record.log`: a task run by the recording executor. */
export interface TaskRecord {
  task: string;
  pid: number;
  ppid: number;
  threadId: number;
  isMainThread: boolean;
  start: number;
  end: number;
  env: Record<string, string | undefined>;
  value?: unknown;
}

export interface NxRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout then stderr, ANSI sequences removed. */
  output: string;
  stdout: string;
  records: TaskRecord[];
  /** Processes of this run still alive shortly after nx exited. */
  leftovers: LeftoverProcess[];
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

function readRecords(root: string): TaskRecord[] {
  const log = path.join(root, 'record.log');
  if (!fs.existsSync(log)) return [];
  return fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TaskRecord);
}

/** A running nx, for tests that act on it while it runs (signals, memory). */
export interface StartedNx {
  /** nx's pid, also the id of its process group. */
  pid: number;
  /** `NAME=value`: the environment entry every process of the run inherits. */
  marker: string;
  /** Resolves as soon as nx exited. */
  exited: Promise<void>;
  /** Resolves once nx exited and the run's processes were collected. */
  finished: Promise<NxRun>;
  /** Types into nx's terminal (`\x03` is Ctrl-C); only for a run started with `terminal: true`. */
  type: (text: string) => void;
}

export interface StartOptions {
  /**
   * Runs nx in a real pseudo-terminal of 120x40 (util-linux `script`), with keystrokes through
   * `type`, as a user's terminal would: Nx then runs the executor in a pseudo-terminal of its own,
   * and with `NX_TUI=true` shows its terminal UI. `output` is then the terminal's output.
   */
  terminal?: boolean;
}

const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

function command(nxBin: string, args: string[], terminal: boolean): [string, string[]] {
  if (!terminal) return [nxBin, args];
  const nx = [nxBin, ...args].map(quote).join(' ');
  // A pseudo-terminal made by `script` has no size when script's own stdin is no terminal.
  return ['script', ['-qfec', `stty cols 120 rows 40; exec ${nx}`, '/dev/null']];
}

/** Starts nx in its own process group and returns at once; `runNx` waits for it. */
export function startNx(
  workspace: Workspace,
  args: string[],
  env: Record<string, string> = {},
  { terminal = false }: StartOptions = {},
): StartedNx {
  const { root } = workspace;
  fs.rmSync(path.join(root, 'record.log'), { force: true });
  fs.rmSync(path.join(root, 'marks'), { recursive: true, force: true });
  const marker = `${MARKER_VARIABLE}=${randomBytes(8).toString('hex')}`;
  const [markerName, markerValue] = marker.split('=') as [string, string];
  // nx's output goes to files, not pipes: when its stdout is a pipe that is read more slowly than
  // it is written, nx 24 exits before it has forwarded the end of a task's output, with or without
  // nx-parallel (a plain executor loses it the same way). Files are written synchronously.
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-e2e-output-'));
  const files = { stdout: path.join(outputDir, 'stdout'), stderr: path.join(outputDir, 'stderr') };
  const fds = { stdout: fs.openSync(files.stdout, 'w'), stderr: fs.openSync(files.stderr, 'w') };
  const [file, argv] = command(workspace.sandbox.nxBin, args, terminal);
  const child = spawn(file, argv, {
    cwd: root,
    env: {
      ...process.env,
      ...NX_ENV,
      ...(terminal ? { TERM: 'xterm-256color', LANG: 'C.UTF-8' } : {}),
      ...env,
      [markerName]: markerValue,
    },
    stdio: [terminal ? 'pipe' : 'ignore', fds.stdout, fds.stderr],
    detached: true,
  });
  fs.closeSync(fds.stdout);
  fs.closeSync(fds.stderr);
  // A hung run is ended with its whole process group, so that it leaves nothing behind.
  const timer = setTimeout(() => {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  }, TIMEOUT_MS);
  const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  const finished = (async (): Promise<NxRun> => {
    const [code, signal] = await exit;
    clearTimeout(timer);
    const out = stripAnsi(fs.readFileSync(files.stdout, 'utf8'));
    const err = stripAnsi(fs.readFileSync(files.stderr, 'utf8'));
    fs.rmSync(outputDir, { recursive: true, force: true });
    const leftovers = await waitForLeftoverProcesses(marker, root);
    for (const { pid } of leftovers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    return { code, signal, output: `${out}\n${err}`, stdout: out, records: readRecords(root), leftovers };
  })();
  return {
    pid: child.pid ?? 0,
    marker,
    exited: exit.then(
      () => undefined,
      () => undefined,
    ),
    finished,
    type: (text) => {
      if (!child.stdin) throw new Error('type() needs a run started with terminal: true');
      child.stdin.write(text);
    },
  };
}

export async function runNx(workspace: Workspace, args: string[], env: Record<string, string> = {}): Promise<NxRun> {
  return startNx(workspace, args, env).finished;
}

/** Whether nx exits within `ms`; the timer is cleared either way. */
export async function exitsWithin(nx: StartedNx, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const exited = await Promise.race([nx.exited.then(() => true), timedOut]);
  clearTimeout(timer);
  return exited;
}
