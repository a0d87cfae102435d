/**
 * The runs that are open for workers, kept in Redis: a sorted set of run ids, each run's
 * announcement (expiring unless its coordinator refreshes it, so a run whose coordinator died
 * disappears), the workers serving it and the workers that refused it.
 */
import type Redis from 'ioredis';
import type { Refusal, RunAnnouncement, WorkerPresence } from './job-protocol';

/** A run stays announced this long after its coordinator's last refresh; what workers write of it, too. */
export const RUN_TTL_MS = 30_000;

const RUNS = 'nx-parallel:runs';
const runKey = (runId: string): string => `nx-parallel:run:${runId}`;
const workersKey = (runId: string): string => `${runKey(runId)}:workers`;
const refusalsKey = (runId: string): string => `${runKey(runId)}:refusals`;

export async function announceRun(redis: Redis, run: RunAnnouncement, ttlMs: number): Promise<void> {
  await redis
    .multi()
    .set(runKey(run.runId), JSON.stringify(run), 'PX', ttlMs)
    .zadd(RUNS, String(run.createdAt), run.runId)
    .exec();
}

/** Keeps the run open for another `ttlMs`. */
/** Keeps the run open; false when its announcement had expired already (workers left it). */
export async function refreshRun(redis: Redis, runId: string, ttlMs: number): Promise<boolean> {
  const replies = await redis
    .multi()
    .pexpire(runKey(runId), ttlMs)
    .pexpire(workersKey(runId), ttlMs)
    .pexpire(refusalsKey(runId), ttlMs)
    .exec();
  return replies?.[0]?.[1] === 1;
}

/** Closes the run: the workers serving it leave, and stop what they still run of it. */
export async function endRun(redis: Redis, runId: string): Promise<void> {
  await redis.multi().del(runKey(runId), workersKey(runId), refusalsKey(runId)).zrem(RUNS, runId).exec();
}

/** The open runs, oldest first; ids whose announcement expired are dropped from the set. */
export async function listRuns(redis: Redis): Promise<RunAnnouncement[]> {
  const ids = await redis.zrange(RUNS, '0', '-1');
  if (!ids.length) return [];
  const values = await redis.mget(ids.map(runKey));
  return values.filter((value): value is string => value !== null).map((value) => JSON.parse(value) as RunAnnouncement);
}

/**
 * Drops the runs whose announcement expired (their coordinator died without ending them) and
 * returns their ids, each to one caller only, which removes what is left of the run.
 */
export async function sweepExpiredRuns(redis: Redis): Promise<string[]> {
  const ids = await redis.zrange(RUNS, '0', '-1');
  if (!ids.length) return [];
  const values = await redis.mget(ids.map(runKey));
  const swept: string[] = [];
  for (const id of ids.filter((_, i) => values[i] === null)) {
    if ((await redis.zrem(RUNS, id)) === 1) swept.push(id);
  }
  return swept;
}

export async function isRunOpen(redis: Redis, runId: string): Promise<boolean> {
  return (await redis.exists(runKey(runId))) === 1;
}

// Writes of a worker expire: one that comes just after the run ended must not stay behind.
export async function reportPresence(redis: Redis, runId: string, presence: WorkerPresence): Promise<void> {
  const key = workersKey(runId);
  await redis.multi().hset(key, presence.workerId, JSON.stringify(presence)).pexpire(key, RUN_TTL_MS).exec();
}

export async function leaveRun(redis: Redis, runId: string, workerId: string): Promise<void> {
  await redis.hdel(workersKey(runId), workerId);
}

export async function readPresence(redis: Redis, runId: string): Promise<WorkerPresence[]> {
  return Object.values(await redis.hgetall(workersKey(runId))).map((value) => JSON.parse(value) as WorkerPresence);
}

export async function refuseRun(redis: Redis, runId: string, refusal: Refusal): Promise<void> {
  const key = refusalsKey(runId);
  await redis.multi().hset(key, refusal.workerId, JSON.stringify(refusal)).pexpire(key, RUN_TTL_MS).exec();
}

export async function readRefusals(redis: Redis, runId: string): Promise<Refusal[]> {
  return Object.values(await redis.hgetall(refusalsKey(runId))).map((value) => JSON.parse(value) as Refusal);
}
