/**
 * A run as the coordinator holds it in Redis: the connection, the run's BullMQ queue and its event
 * stream (listened to before the first job), the archives, the view of the workers, and the
 * announcement that workers look for. close() takes all of it down again, also with Redis gone.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { relative, resolve } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import type Redis from 'ioredis';
import type { WorkerInit } from '../../worker/protocol';
import { createArtifactStore } from '../artifacts/create-artifact-store';
import type { DistributedPoolOptions } from './distributed-pool';
import { UnknownFingerprintError } from '../../errors';
import { readFingerprint, unknownAdvice, unknownParts, type WorkspaceFingerprint } from '../protocol/fingerprint';
import type { OutputChunk } from '../protocol/job-output';
import { PROTOCOL_VERSION, type JobData, type JobResult, type RunAnnouncement } from '../protocol/job-protocol';
import { signed } from '../protocol/signing';
import { connectRedis } from '../protocol/redis-connection';
import { RunArtifacts } from './run-artifacts';
import { announceRun, endRun, RUN_TTL_MS } from '../protocol/run-registry';
import { graphHash, queueName } from '../protocol/run-names';
import { within } from '../protocol/wait';
import { AgentWatch } from './agent-watch';

/** What the queue's events and the connection tell the coordinator. */
export interface RunListener {
  /** The job's result as it arrived, not checked yet. */
  completed(jobId: string, result: unknown): void;
  failed(jobId: string, reason: string): void;
  progress(jobId: string, chunk: OutputChunk): void;
  stalled(jobId: string): void;
  /** An agent took the job. */
  active(jobId: string): void;
  /** The connection to Redis closed (true) or is ready again (false). */
  disconnected(down: boolean): void;
}

export interface CoordinatorRun {
  runId: string;
  redis: Redis;
  queue: Queue<JobData, JobResult>;
  fingerprint: WorkspaceFingerprint;
  artifacts: RunArtifacts;
  watch: AgentWatch;
  /** Ends the run for its workers and removes its queue and archives; gives up on Redis after `deadlineMs`. */
  close(deadlineMs: number): Promise<void>;
}

function isOutputChunk(data: unknown): data is OutputChunk {
  const chunk = data as Partial<OutputChunk> | null;
  return typeof chunk?.attempt === 'string' && typeof chunk.from === 'number' && typeof chunk.text === 'string';
}

export async function openCoordinatorRun(
  options: DistributedPoolOptions,
  init: WorkerInit,
  listener: RunListener,
): Promise<CoordinatorRun> {
  const { redis: target } = options;
  const own = (options.ownFiles ?? []).map((file) => relative(init.root, resolve(init.root, file)));
  const fingerprint = readFingerprint(
    init.root,
    own.filter((file) => !file.startsWith('..')),
  );
  // What cannot be known here cannot be compared on an agent: refused before anything is announced.
  const advice = unknownAdvice(fingerprint, 'the coordinator');
  if (advice) {
    throw new UnknownFingerprintError(
      unknownParts(fingerprint).map((key) => `${key}: ${fingerprint[key]}`),
      advice,
    );
  }
  const redis = await connectRedis(
    { ...target, caFile: target.caFile && resolve(init.root, target.caFile) },
    `nx-parallel coordinator ${hostname()}:${process.pid}`,
  );
  redis.on('close', () => listener.disconnected(true));
  redis.on('ready', () => listener.disconnected(false));
  const runId = randomUUID();
  const queue = new Queue<JobData, JobResult>(queueName(runId), { connection: redis });
  // QueueEvents blocks on its connection, so it gets one of its own (BullMQ leaves it open: close()
  // closes it).
  const eventsConnection = redis.duplicate();
  eventsConnection.on('error', () => undefined);
  const events = new QueueEvents(queueName(runId), { connection: eventsConnection });
  // A lost connection is noticed by the coordinator's periodic check. Without a listener, BullMQ
  // prints every failed reconnection of the queue's connection with its stack.
  queue.on('error', () => undefined);
  events.on('error', () => undefined);
  events.on('completed', ({ jobId, returnvalue }) => listener.completed(jobId, returnvalue as unknown));
  events.on('failed', ({ jobId, failedReason }) => listener.failed(jobId, failedReason));
  events.on('progress', ({ jobId, data }) => isOutputChunk(data) && listener.progress(jobId, data));
  events.on('stalled', ({ jobId }) => listener.stalled(jobId));
  events.on('active', ({ jobId }) => listener.active(jobId));
  const artifacts = new RunArtifacts(
    createArtifactStore(options.artifactStore, { redis }),
    init.root,
    init.taskGraph,
    runId,
  );

  const close = async (deadlineMs: number): Promise<void> => {
    const cleanUp = async (): Promise<void> => {
      // Workers leave the run when it ends, and stop what they still run of it.
      await endRun(redis, runId);
      await queue.obliterate({ force: true });
      await artifacts.deleteAll();
      await Promise.all([events.close(), queue.close()]);
      await redis.quit();
    };
    await within(cleanUp(), deadlineMs);
    // Past the deadline (Redis gone or frozen), BullMQ's queue and event loop are told to close
    // before their connections go, or the event loop would reconnect and keep the process alive.
    void Promise.allSettled([events.close(), queue.close()]);
    eventsConnection.disconnect();
    redis.disconnect();
  };
  const run = {
    runId,
    redis,
    queue,
    fingerprint,
    artifacts,
    watch: new AgentWatch(redis, runId, options.notify, options.timing?.presenceTimeoutMs),
    close,
  };
  try {
    await events.waitUntilReady();
    const announcement: RunAnnouncement = {
      protocol: PROTOCOL_VERSION,
      runId,
      queue: queueName(runId),
      coordinator: `${hostname()}:${process.pid}`,
      fingerprint,
      selection: options.selection,
      graphHash: graphHash(Object.keys(init.taskGraph.tasks)),
      artifactStore: options.artifactStore,
      lockMs: options.lockMs,
      taskTimeoutMs: options.taskTimeoutMs,
      maxTasksPerWorker: options.maxTasksPerWorker,
      createdAt: Date.now(),
      signed: options.secret !== undefined,
    };
    const ttlMs = options.timing?.runTtlMs ?? RUN_TTL_MS;
    await announceRun(redis, signed(announcement, options.secret, `run:${runId}`), ttlMs);
  } catch (error) {
    await close(0);
    throw error;
  }
  return run;
}
