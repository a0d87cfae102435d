/**
 * Machines for the distributed backend's tests: a coordinator workspace committed to git, worker
 * workspaces as separate copies of it (each standing for another machine), and `nx-parallel worker`
 * processes serving from those copies.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { NX_ENV } from './run-nx';
import { findRunProcesses } from './run-processes';
import type { Workspace } from './workspace';

/**
 * `tools/make`: writes `dist/libs/<project>/out.txt`, which holds its dependencies' out.txt, so a
 * task fails when the outputs of a dependency are missing. It appends `{ task, worker }` to the
 * shared `ran.log` of the test (one folder that all "machines" see, for the test's eyes only).
 * `hangOnce`: the first attempt of the task starts a `sleep 300`, writes `<shared>/<task>.started`
 * (`{ pid, childPid, worker }`) and never ends.
 * `fail`: the task fails at once.
 * `sleepMs`: every attempt writes `<shared>/<task>@<worker>.started` (`{ pid, worker }`) and sleeps
 * that long before it makes its output. `sign`: the line the task adds to out.txt names the worker.
 * `meet`: waits until every listed task has written `<shared>/<task>.met`: proof that they ran at
 * the same time, on two workers of concurrency 1.
 */
const MAKE_EXECUTOR_JS = String.raw`
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const safe = (task) => task.replace(/[^a-zA-Z0-9_-]/g, '_');
module.exports = async function make(options, context) {
  const shared = process.env.E2E_SHARED_DIR;
  const task = context.projectName + ':' + context.targetName;
  const file = (name) => path.join(shared, safe(task) + name);
  const worker = process.env.E2E_WORKER;
  if (options.hangOnce && !fs.existsSync(file('.started'))) {
    const child = spawn('sleep', ['300'], { stdio: 'ignore' });
    fs.writeFileSync(file('.started'), JSON.stringify({ pid: process.pid, childPid: child.pid, worker }));
    return new Promise(() => undefined);
  }
  if (options.sleepMs) {
    fs.writeFileSync(file('@' + worker + '.started'), JSON.stringify({ pid: process.pid, worker }));
    await new Promise((resolve) => setTimeout(resolve, options.sleepMs));
  }
  if (options.fail) {
    console.error('failing on purpose');
    return { success: false };
  }
  if (options.meet) {
    fs.writeFileSync(file('.met'), '');
    const deadline = Date.now() + 30000;
    while (!options.meet.every((other) => fs.existsSync(path.join(shared, safe(other) + '.met')))) {
      if (Date.now() > deadline) throw new Error('not met: ' + options.meet.join(', '));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const lines = [];
  for (const { target } of context.projectGraph.dependencies[context.projectName] ?? []) {
    const input = path.join(context.root, 'dist/libs', target, 'out.txt');
    if (!fs.existsSync(input)) {
      console.error('missing the output of ' + target + ' in ' + context.root);
      return { success: false };
    }
    lines.push(fs.readFileSync(input, 'utf8').trim());
  }
  lines.push('built ' + context.projectName + (options.sign ? ' on ' + worker : ''));
  const out = path.join(context.root, 'dist/libs', context.projectName);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'out.txt'), lines.join('\n') + '\n');
  fs.appendFileSync(path.join(shared, 'ran.log'), JSON.stringify({ task, worker }) + '\n');
  console.log('made ' + task + ' on ' + worker);
  return { success: true };
};
`;

/** Files of a workspace whose build targets use `tools/make`. */
export const MAKE_FILES: Record<string, string> = {
  'tools/make/package.json': JSON.stringify({ name: 'make', private: true, executors: './executors.json' }),
  'tools/make/executors.json': JSON.stringify({
    executors: { make: { implementation: './make.js', schema: './schema.json', description: 'Makes out.txt.' } },
  }),
  'tools/make/schema.json': JSON.stringify({ version: 2, type: 'object', properties: {}, additionalProperties: true }),
  'tools/make/make.js': MAKE_EXECUTOR_JS,
};

export const MAKE_TARGET_DEFAULTS = {
  build: { dependsOn: ['^build'], outputs: ['{workspaceRoot}/dist/{projectRoot}'] },
};

/** A build target of `tools/make` (targets without an executor would get the recording one). */
export const make = (
  options: Record<string, unknown> = {},
): { executor: string; options: Record<string, unknown> } => ({
  executor: './tools/make:make',
  options,
});

function git(root: string, args: string[]): void {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
}

/** Makes the workspace a git checkout with one commit, as a CI checkout is. */
export function commitWorkspace(root: string, message = 'workspace'): void {
  if (!fs.existsSync(path.join(root, '.git'))) git(root, ['init', '-q']);
  fs.writeFileSync(path.join(root, '.gitignore'), 'dist\n.nx\nrecord.log\n');
  git(root, ['add', '-A']);
  git(root, ['-c', 'user.name=e2e', '-c', 'user.email=e2e@localhost', 'commit', '-q', '-m', message]);
}

/** A copy of the workspace, git history included, without what building it made. */
export function copyWorkspace(workspace: Workspace, name: string): Workspace {
  const root = `${workspace.root}-${name}`;
  fs.cpSync(workspace.root, root, {
    recursive: true,
    filter: (source) => !/[/\\](dist|\.nx|marks)$|record\.log$/.test(source),
  });
  return { root, sandbox: workspace.sandbox };
}

/** Brings a worker's copy to the coordinator's commit, as a CI job checks out the pipeline's commit. */
export function pullWorkspace(copy: Workspace, from: Workspace): void {
  git(copy.root, ['fetch', '-q', from.root, 'HEAD']);
  git(copy.root, ['reset', '-q', '--hard', 'FETCH_HEAD']);
}

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  /** Live processes of this worker: itself and every process it started (they inherit a marker). */
  processes(): number[];
  /** What the worker printed so far. */
  log(): string;
  /** Resolves when the worker printed a line matching the pattern; rejects when it exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves when the worker exited. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface WorkerStart {
  redisUrl: string;
  name: string;
  sharedDir: string;
  concurrency?: number;
  args?: string[];
  env?: Record<string, string>;
}

/**
 * The agent's intervals in tests (its internal NX_PARALLEL_AGENT_TIMING): it finds a run and sees
 * it end within a tenth of a second, instead of the default half and whole second.
 */
export const TEST_AGENT_TIMING = { pollMs: 50, heartbeatMs: 100 };

/** Starts `nx-parallel worker` (the installed package's bin) in a worker workspace. */
export function startWorker(workspace: Workspace, start: WorkerStart): WorkerProcess {
  const bin = path.join(workspace.sandbox.dir, 'node_modules', '.bin', 'nx-parallel');
  const args = ['worker', '--redis', start.redisUrl, '--name', start.name];
  args.push('--concurrency', String(start.concurrency ?? 1), ...(start.args ?? []));
  const marker = randomBytes(8).toString('hex');
  const child = spawn(bin, args, {
    cwd: workspace.root,
    env: {
      ...process.env,
      ...NX_ENV,
      NX_PARALLEL_AGENT_TIMING: JSON.stringify(TEST_AGENT_TIMING),
      ...start.env,
      E2E_SHARED_DIR: start.sharedDir,
      E2E_WORKER: start.name,
      E2E_WORKER_MARKER: marker,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString();
    listeners.forEach((listener) => listener());
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name: start.name,
    child,
    processes: () => findRunProcesses(`E2E_WORKER_MARKER=${marker}`, /./),
    log: () => text,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(text)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`worker ${start.name} never printed ${pattern}:\n${text}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then(() => {
          if (!listeners.has(check)) return;
          cleanup();
          reject(new Error(`worker ${start.name} exited before printing ${pattern}:\n${text}`));
        });
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The tasks each worker ran, from the shared `ran.log`. */
export function readRan(sharedDir: string): { task: string; worker: string }[] {
  const file = path.join(sharedDir, 'ran.log');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { task: string; worker: string });
}

const safe = (task: string): string => task.replace(/[^a-zA-Z0-9_-]/g, '_');

/** What a `hangOnce` or `sleepMs` attempt wrote when it started. */
export interface Started {
  /** The worker's process the task runs in. */
  pid: number;
  /** The `sleep 300` a `hangOnce` attempt started. */
  childPid?: number;
  worker: string;
}

/**
 * The start file of a task's `hangOnce` attempt, or with `worker` of its `sleepMs` attempt on that
 * worker; undefined until it is written.
 */
export function findStarted(sharedDir: string, task: string, worker?: string): Started | undefined {
  try {
    const file = path.join(sharedDir, `${safe(task)}${worker === undefined ? '' : `@${worker}`}.started`);
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Started;
  } catch {
    return undefined;
  }
}

/** Whether a process is alive (a zombie is not: it only waits for its parent to collect it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
