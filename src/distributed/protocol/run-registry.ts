/**
 * The runs that are open for workers, kept in Redis: a sorted set of run ids, each run's
 * announcement (expiring unless its coordinator refreshes it, so a run whose coordinator died
 * disappears), the workers serving it and the workers that refused it.
 */
import type Redis from 'ioredis';
import { PROTOCOL_VERSION, type Refusal, type RunAnnouncement, type AgentPresence } from './job-protocol';
import { parseAnnouncement, parsePresence, parseRefusal, type Checked } from './protocol-check';

/** A value under one of the run's keys that is not of this protocol: skipped, and named. */
export interface Malformed {
  /** The Redis key, with `#<field>` for a field of a hash. */
  key: string;
  problem: string;
}

export type OnMalformed = (malformed: Malformed) => void;

/** Values of the right shape; the others go to `onMalformed`. */
function keep<T>(
  entries: [key: string, raw: string][],
  parse: (raw: string) => Checked<T>,
  onMalformed?: OnMalformed,
): T[] {
  const kept: T[] = [];
  for (const [key, raw] of entries) {
    const checked = parse(raw);
    if (checked.ok) kept.push(checked.value);
    else onMalformed?.({ key, problem: checked.problem });
  }
  return kept;
}

/** A run stays announced this long after its coordinator's last refresh; what workers write of it, too. */
export const RUN_TTL_MS = 30_000;

const RUNS = 'nx-parallel:runs';
const runKey = (runId: string): string => `nx-parallel:run:${runId}`;
const workersKey = (runId: string): string => `${runKey(runId)}:workers`;
const refusalsKey = (runId: string): string => `${runKey(runId)}:refusals`;

export async function announceRun(redis: Redis, run: Omit<RunAnnouncement, 'protocol'>, ttlMs: number): Promise<void> {
  const announcement: RunAnnouncement = { protocol: PROTOCOL_VERSION, ...run };
  await redis
    .multi()
    .set(runKey(run.runId), JSON.stringify(announcement), 'PX', ttlMs)
    .zadd(RUNS, String(run.createdAt), run.runId)
    .exec();
}

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

/**
 * The open runs, oldest first; ids whose announcement expired are left out, and so are
 * announcements that are not of this protocol (given to `onMalformed`).
 */
export async function listRuns(redis: Redis, onMalformed?: OnMalformed): Promise<RunAnnouncement[]> {
  const ids = await redis.zrange(RUNS, '0', '-1');
  if (!ids.length) return [];
  const values = await redis.mget(ids.map(runKey));
  const entries = ids.flatMap((id, i): [string, string][] => {
    const value = values[i];
    return typeof value === 'string' ? [[runKey(id), value]] : [];
  });
  return keep(entries, parseAnnouncement, onMalformed);
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

/**
 * An agent's entry in one of the run's hashes. It expires (after `ttlMs`): a write that comes just
 * after the run ended must not stay behind.
 */
async function writeAgentEntry(
  redis: Redis,
  key: string,
  value: AgentPresence | Refusal,
  ttlMs: number,
): Promise<void> {
  await redis.multi().hset(key, value.workerId, JSON.stringify(value)).pexpire(key, ttlMs).exec();
}

/** The agents' entries of one of the run's hashes, each named by its key and field (`key#field`). */
async function readAgentEntries(redis: Redis, key: string): Promise<[string, string][]> {
  const entries = Object.entries(await redis.hgetall(key));
  return entries.map(([field, raw]) => [`${key}#${field}`, raw]);
}

export async function reportPresence(
  redis: Redis,
  runId: string,
  presence: Omit<AgentPresence, 'protocol'>,
  ttlMs = RUN_TTL_MS,
): Promise<void> {
  await writeAgentEntry(redis, workersKey(runId), { protocol: PROTOCOL_VERSION, ...presence }, ttlMs);
}

export async function leaveRun(redis: Redis, runId: string, workerId: string): Promise<void> {
  await redis.hdel(workersKey(runId), workerId);
}

export async function readPresence(redis: Redis, runId: string, onMalformed?: OnMalformed): Promise<AgentPresence[]> {
  return keep(await readAgentEntries(redis, workersKey(runId)), parsePresence, onMalformed);
}

export async function refuseRun(
  redis: Redis,
  runId: string,
  refusal: Omit<Refusal, 'protocol'>,
  ttlMs = RUN_TTL_MS,
): Promise<void> {
  await writeAgentEntry(redis, refusalsKey(runId), { protocol: PROTOCOL_VERSION, ...refusal }, ttlMs);
}

export async function readRefusals(redis: Redis, runId: string, onMalformed?: OnMalformed): Promise<Refusal[]> {
  return keep(await readAgentEntries(redis, refusalsKey(runId)), parseRefusal, onMalformed);
}
