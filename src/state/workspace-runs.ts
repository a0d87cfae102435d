/**
 * One run per task at a time in a workspace: each run claims its task ids in
 * `.nx/workspace-data/nx-parallel/runs/` (one file per run), and a run whose tasks overlap a live
 * run's claim waits until that run ends, or is refused when asked not to wait. Claims of processes
 * that are gone are dropped. Checking and claiming happen under a short mutex (an exclusive file),
 * so two runs starting together (`nx run-many -t parallel`) cannot both claim the same task.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RunConflictError } from '../errors';

export interface RunClaim {
  pid: number;
  /** The task that started the run, e.g. `app:parallel`. */
  owner: string;
  startedAt: number;
  taskIds: string[];
}

export interface ClaimRequest {
  root: string;
  owner: string;
  taskIds: readonly string[];
  /** false: refuse at once when another run holds one of the tasks. */
  wait: boolean;
  /** Called once per holder waited for. */
  onWait: (holder: RunClaim, shared: readonly string[]) => void;
  /** How often a waiting run looks again; default 500 ms. */
  pollMs?: number;
  isAlive?: (pid: number) => boolean;
  pid?: number;
}

const MUTEX_STALE_MS = 10_000;

export const runsDirectory = (root: string): string => path.join(root, '.nx', 'workspace-data', 'nx-parallel', 'runs');

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `body` holding the directory's mutex; a mutex older than 10 s is taken as left behind. */
async function withMutex<T>(dir: string, body: () => T): Promise<T> {
  const mutex = path.join(dir, '.mutex');
  for (;;) {
    try {
      fs.closeSync(fs.openSync(mutex, 'wx'));
      break;
    } catch {
      try {
        if (Date.now() - fs.statSync(mutex).mtimeMs > MUTEX_STALE_MS) fs.rmSync(mutex, { force: true });
      } catch {
        // gone meanwhile
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  try {
    return body();
  } finally {
    fs.rmSync(mutex, { force: true });
  }
}

function readClaims(dir: string, isAlive: (pid: number) => boolean): RunClaim[] {
  const claims: RunClaim[] = [];
  for (const entry of fs.readdirSync(dir)) {
    if (!entry.endsWith('.json')) continue;
    const file = path.join(dir, entry);
    try {
      const claim = JSON.parse(fs.readFileSync(file, 'utf8')) as RunClaim;
      if (isAlive(claim.pid)) claims.push(claim);
      else fs.rmSync(file, { force: true });
    } catch {
      // A claim being written or removed right now.
    }
  }
  return claims;
}

/** Claims the tasks, waiting for (or refusing) runs that hold some; resolves with the release. */
export async function claimTasks(request: ClaimRequest): Promise<() => void> {
  const dir = runsDirectory(request.root);
  fs.mkdirSync(dir, { recursive: true });
  const isAlive = request.isAlive ?? isProcessAlive;
  const pid = request.pid ?? process.pid;
  const mine = new Set(request.taskIds);
  const file = path.join(dir, `${pid}-${randomBytes(4).toString('hex')}.json`);
  const waitedFor = new Set<string>();
  for (;;) {
    const holder = await withMutex(dir, () => {
      for (const claim of readClaims(dir, isAlive)) {
        const shared = claim.taskIds.filter((id) => mine.has(id));
        if (shared.length) return { claim, shared };
      }
      const claim: RunClaim = { pid, owner: request.owner, startedAt: Date.now(), taskIds: [...request.taskIds] };
      fs.writeFileSync(file, JSON.stringify(claim));
      return undefined;
    });
    if (!holder) return () => fs.rmSync(file, { force: true });
    if (!request.wait) throw new RunConflictError(holder.claim.owner, holder.claim.pid, holder.shared);
    const key = `${holder.claim.pid}:${holder.claim.startedAt}`;
    if (!waitedFor.has(key)) {
      waitedFor.add(key);
      request.onWait(holder.claim, holder.shared);
    }
    await new Promise((resolve) => setTimeout(resolve, request.pollMs ?? 500));
  }
}
