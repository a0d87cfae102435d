/**
 * Runs `nx run-many` and nx-parallel over the same tasks of a real workspace and reduces each run to
 * what must be equal: every task's status (succeeded, failed, skipped) and whether it came from the
 * cache, the test counts its output reports, the bytes of dist/ and coverage/, and the processes left.
 *
 * Where the facts come from:
 * - the tasks a run should have: `nx run-many ... --graph=<file>.json` (Nx's own task graph);
 * - `nx run-many` (`--outputStyle=static`): each task that ran prints a block headed
 *   `> nx run <task id>` (with `[local cache]` or `[existing outputs match the cache, left as is]`
 *   when it was restored), and the run ends with `Failed tasks:` and one `- <task id>` line per
 *   failed task. A task without a block was never started: skipped;
 * - nx-parallel: its `--summaryFile` JSON (summary.schema.json), and its output, one block per task
 *   headed `> nx run <task id>` like Nx's.
 * - test counts: jest's `Tests: 1 failed, 2 passed, 3 total`, vitest's `Tests  1 failed | 2 passed (3)`,
 *   read from the task's block.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitForLeftoverProcesses, type LeftoverProcess } from '../../support/leftover-processes';
import type { RealWorkspace } from './installed-fixture';

export const NX_ENV: Record<string, string> = {
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  CI: 'true',
  NO_COLOR: '1',
};

export const TARGETS = ['build', 'test', 'lint'] as const;
const RUN_TIMEOUT_MS = 240_000;
const MARKER_VARIABLE = 'NX_PARALLEL_REAL_RUN';

export type Status = 'succeeded' | 'failed' | 'skipped';
export type Backend = 'processes' | 'threads';

export interface TestCounts {
  passed: number;
  failed: number;
  total: number;
}

export interface TaskResult {
  status: Status;
  cached: boolean;
  tests?: TestCounts;
}

export interface RunResult {
  runner: 'run-many' | `nx-parallel/${Backend}`;
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  tasks: Record<string, TaskResult>;
  leftovers: LeftoverProcess[];
  durationMs: number;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

interface RawRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  leftovers: LeftoverProcess[];
  durationMs: number;
}

/** Runs nx in the workspace (own process group, output to files), then collects what it left running. */
async function runNx(workspace: RealWorkspace, args: string[]): Promise<RawRun> {
  const marker = `${MARKER_VARIABLE}=${randomBytes(8).toString('hex')}`;
  const [markerName, markerValue] = marker.split('=') as [string, string];
  // Files, not pipes: nx may exit before it forwarded the end of a task's output to a slow pipe.
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-real-output-'));
  const files = { stdout: path.join(outputDir, 'stdout'), stderr: path.join(outputDir, 'stderr') };
  const fds = { stdout: fs.openSync(files.stdout, 'w'), stderr: fs.openSync(files.stderr, 'w') };
  const started = Date.now();
  const child = spawn(workspace.nxBin, args, {
    cwd: workspace.root,
    env: { ...process.env, ...NX_ENV, [markerName]: markerValue },
    stdio: ['ignore', fds.stdout, fds.stderr],
    detached: true,
  });
  fs.closeSync(fds.stdout);
  fs.closeSync(fds.stderr);
  const timer = setTimeout(() => {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  }, RUN_TIMEOUT_MS);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  clearTimeout(timer);
  const durationMs = Date.now() - started;
  const output = stripAnsi(`${fs.readFileSync(files.stdout, 'utf8')}\n${fs.readFileSync(files.stderr, 'utf8')}`);
  fs.rmSync(outputDir, { recursive: true, force: true });
  const leftovers = await waitForLeftoverProcesses(marker, workspace.root);
  for (const { pid } of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return { code, signal, output, leftovers, durationMs };
}

/** The task ids `nx run-many -t build test lint` runs, from Nx's own task graph. */
export async function plannedTasks(workspace: RealWorkspace): Promise<string[]> {
  const file = path.join(os.tmpdir(), `nx-parallel-real-graph-${randomBytes(6).toString('hex')}.json`);
  const raw = await runNx(workspace, ['run-many', '-t', ...TARGETS, `--graph=${file}`]);
  if (raw.code !== 0 || !fs.existsSync(file)) throw new Error(`nx run-many --graph failed:\n${raw.output}`);
  const graph = JSON.parse(fs.readFileSync(file, 'utf8')) as { tasks: { tasks: Record<string, unknown> } };
  fs.rmSync(file, { force: true });
  return Object.keys(graph.tasks.tasks).sort();
}

/** Each task's block of output: from its `> nx run <id>` header to the next header or the run's end lines. */
export function taskBlocks(output: string): Map<string, { header: string; body: string }> {
  const blocks = new Map<string, { header: string; body: string }>();
  let current: { id: string; header: string; lines: string[] } | undefined;
  const flush = (): void => {
    if (current) blocks.set(current.id, { header: current.header, body: current.lines.join('\n') });
    current = undefined;
  };
  for (const line of output.split('\n')) {
    const header = /^> nx run (\S+)(.*)$/.exec(line);
    if (header) {
      flush();
      current = { id: header[1] ?? '', header: line, lines: [] };
    } else if (/^\[\d+\/\d+\] /.test(line) || /^nx-parallel ran /.test(line) || /^ NX {3}/.test(line)) {
      flush();
    } else {
      current?.lines.push(line);
    }
  }
  flush();
  return blocks;
}

/** Test counts a jest or vitest run printed, or undefined when the block has none. */
export function testCounts(body: string): TestCounts | undefined {
  const jest = /^Tests:\s+(.*\d+ total)\s*$/m.exec(body);
  if (jest) {
    const text = jest[1] ?? '';
    const count = (word: string): number => Number(new RegExp(`(\\d+) ${word}`).exec(text)?.[1] ?? 0);
    return { passed: count('passed'), failed: count('failed'), total: count('total') };
  }
  const vitest = /^\s*Tests\s+(.*)\((\d+)\)\s*$/m.exec(body);
  if (vitest) {
    const text = vitest[1] ?? '';
    const count = (word: string): number => Number(new RegExp(`(\\d+) ${word}`).exec(text)?.[1] ?? 0);
    return { passed: count('passed'), failed: count('failed'), total: Number(vitest[2]) };
  }
  return undefined;
}

const CACHE_HEADER = /\[(local cache|remote cache|existing outputs match the cache, left as is)\]/;

/** `nx run-many -t build test lint --parallel=2`, reduced to each planned task's result. */
export async function runMany(workspace: RealWorkspace, planned: string[], extra: string[] = []): Promise<RunResult> {
  const raw = await runNx(workspace, ['run-many', '-t', ...TARGETS, '--parallel=2', '--outputStyle=static', ...extra]);
  const blocks = taskBlocks(raw.output);
  const failedSection = /Failed tasks:\s*\n([\s\S]*?)(?:\n\s*\n|$)/.exec(raw.output)?.[1] ?? '';
  const failed = new Set(
    failedSection
      .split('\n')
      .map((line) => /^\s*- (\S+)/.exec(line)?.[1])
      .filter((id): id is string => Boolean(id)),
  );
  const tasks: Record<string, TaskResult> = {};
  for (const id of planned) {
    const block = blocks.get(id);
    const status: Status = !block ? 'skipped' : failed.has(id) ? 'failed' : 'succeeded';
    const tests = block ? testCounts(block.body) : undefined;
    tasks[id] = { status, cached: block ? CACHE_HEADER.test(block.header) : false, ...(tests ? { tests } : {}) };
  }
  for (const id of failed) {
    if (!(id in tasks)) tasks[id] = { status: 'failed', cached: false };
  }
  return { runner: 'run-many', ...raw, tasks };
}

interface SummaryTask {
  id: string;
  status: Status;
  cached: 'local' | 'remote' | null;
  reason: string | null;
  message: string | null;
  workerId: string | null;
}

export interface ParallelRunResult extends RunResult {
  summary: { run: { success: boolean; counts: Record<string, number> }; tasks: SummaryTask[] } | undefined;
}

/** `nx run <project>:parallel --projects=* --targets=build,test,lint -n 2`, reduced like `runMany`. */
export async function runParallel(
  workspace: RealWorkspace,
  backend: Backend,
  extra: string[] = [],
): Promise<ParallelRunResult> {
  const summaryFile = `tmp/nx-parallel-summary-${randomBytes(6).toString('hex')}.json`;
  const raw = await runNx(workspace, [
    'run',
    `${workspace.parallelProject}:parallel`,
    '--projects=*',
    `--targets=${TARGETS.join(',')}`,
    '-n',
    '2',
    `--parallelBackend=${backend}`,
    `--summaryFile=${summaryFile}`,
    ...extra,
  ]);
  const summaryPath = path.join(workspace.root, summaryFile);
  const summary = fs.existsSync(summaryPath)
    ? (JSON.parse(fs.readFileSync(summaryPath, 'utf8')) as ParallelRunResult['summary'])
    : undefined;
  fs.rmSync(summaryPath, { force: true });
  const blocks = taskBlocks(raw.output);
  const tasks: Record<string, TaskResult> = {};
  for (const task of summary?.tasks ?? []) {
    const block = blocks.get(task.id);
    const tests = block && !task.cached ? testCounts(block.body) : undefined;
    tasks[task.id] = { status: task.status, cached: task.cached !== null, ...(tests ? { tests } : {}) };
  }
  return { runner: `nx-parallel/${backend}`, ...raw, tasks, summary };
}

/** `{ id: status }` of a run, for comparing. */
export function statuses(run: RunResult): Record<string, Status> {
  return Object.fromEntries(Object.entries(run.tasks).map(([id, task]) => [id, task.status]));
}

export function idsWith(run: RunResult, status: Status): string[] {
  return Object.entries(run.tasks)
    .filter(([, task]) => task.status === status)
    .map(([id]) => id)
    .sort();
}

/** `{ id: counts }` of the tasks whose output reported test counts. */
export function testCountsOf(run: RunResult): Record<string, TestCounts> {
  const counts: Record<string, TestCounts> = {};
  for (const [id, task] of Object.entries(run.tasks)) if (task.tests) counts[id] = task.tests;
  return counts;
}

/** Why each failed task failed, in a few lines: for assertion messages. */
export function describeFailures(run: RunResult): string {
  const parallel = run as Partial<ParallelRunResult>;
  const lines = [`${run.runner}: exit ${run.code}${run.signal ? ` (${run.signal})` : ''} in ${run.durationMs} ms`];
  for (const task of parallel.summary?.tasks ?? []) {
    if (task.status !== 'succeeded')
      lines.push(`  ${task.id}: ${task.status} ${task.reason ?? ''} ${(task.message ?? '').slice(0, 400)}`);
  }
  if (!parallel.summary) lines.push(run.output.slice(-4000));
  return lines.join('\n');
}

/**
 * sha256 of every file under dist/ and coverage/, by path relative to the workspace root. Content
 * only (no mtimes), with the workspace's absolute path replaced by `<root>`: webpack's source map
 * and swc's may name absolute paths, and each workspace lives in a folder of its own. No output of
 * this fixture holds a timestamp: jest's coverage is written as text reports (lcov's HTML report
 * would date itself), vite is told no timestamps; should one appear, it shows as a difference.
 */
export function hashOutputs(root: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  const realRoot = fs.realpathSync(root);
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const text = fs.readFileSync(full, 'latin1').split(realRoot).join('<root>').split(root).join('<root>');
        hashes[path.relative(root, full)] = createHash('sha256').update(text, 'latin1').digest('hex');
      }
    }
  };
  walk(path.join(root, 'dist'));
  walk(path.join(root, 'coverage'));
  return Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => a.localeCompare(b)));
}

export function cleanOutputs(root: string): void {
  for (const dir of ['dist', 'coverage', 'tmp']) fs.rmSync(path.join(root, dir), { recursive: true, force: true });
}
