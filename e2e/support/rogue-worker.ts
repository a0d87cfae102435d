/**
 * A rogue "worker" in the test process, for what a compromised machine with access to Redis could
 * do: it serves a run by hand with BullMQ (takes a job, answers it with any result, stores any
 * archive under its correct sha256, adds jobs of its own) and says it is present, as a worker does.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Queue, Worker, type Job } from 'bullmq';
import Redis from 'ioredis';
import type { ArtifactRef } from '../../src/distributed/artifacts/artifact-store';
import { createArtifactStore } from '../../src/distributed/artifacts/create-artifact-store';
import {
  PROTOCOL_VERSION,
  type JobData,
  type JobResult,
  type RunAnnouncement,
} from '../../src/distributed/protocol/job-protocol';
import { listRuns, reportPresence } from '../../src/distributed/protocol/run-registry';

/** Long enough that no stall check of a real worker takes a job back from the rogue during a test. */
const LOCK_MS = 120_000;

export interface TakenJob {
  job: Job<JobData, JobResult>;
  token: string;
}

export class RogueWorker {
  private worker: Worker<JobData, JobResult> | undefined;
  private queue: Queue<JobData, JobResult> | undefined;
  private presence: NodeJS.Timeout | undefined;
  private run: RunAnnouncement | undefined;

  private constructor(private readonly redis: Redis) {}

  static connect(url: string): RogueWorker {
    return new RogueWorker(new Redis(url, { maxRetriesPerRequest: null }));
  }

  /** Waits for a run to be announced and joins it. */
  async join(name = 'rogue'): Promise<RunAnnouncement> {
    let runs: RunAnnouncement[] = [];
    const deadline = Date.now() + 60_000;
    while (!(runs = await listRuns(this.redis)).length) {
      if (Date.now() > deadline) throw new Error('no run was announced');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const run = runs[0] as RunAnnouncement;
    this.run = run;
    const present = (): Promise<void> =>
      reportPresence(this.redis, run.runId, { workerId: name, concurrency: 1, lastSeen: Date.now() });
    await present();
    this.presence = setInterval(() => void present().catch(() => undefined), 500);
    this.worker = new Worker<JobData, JobResult>(run.queue, null, { connection: this.redis, lockDuration: LOCK_MS });
    this.queue = new Queue<JobData, JobResult>(run.queue, { connection: this.redis });
    return run;
  }

  /** Takes the next job of the run, as a worker would. */
  async take(): Promise<TakenJob> {
    const worker = this.joined(this.worker);
    const token = `rogue-${Date.now()}`;
    let job: Job<JobData, JobResult> | undefined;
    const deadline = Date.now() + 60_000;
    while (!(job = (await worker.getNextJob(token, { block: false })) as Job<JobData, JobResult> | undefined)) {
      if (Date.now() > deadline) throw new Error('no job came');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { job, token };
  }

  /** Stores an archive as a worker stores its outputs: the store checks nothing, its sha256 is right. */
  async store(taskId: string, data: Buffer): Promise<ArtifactRef> {
    const run = this.joined(this.run);
    const key = `${run.runId}/${encodeURIComponent(taskId)}/rogue-${Date.now()}`;
    await createArtifactStore('redis', { redis: this.redis }).put(key, Readable.from([data]));
    return { key, sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length };
  }

  /** Completes a job it took with a result of its own making, in the protocol's current version. */
  async complete({ job, token }: TakenJob, result: Omit<JobResult, 'protocol'>): Promise<void> {
    await job.moveToCompleted({ protocol: PROTOCOL_VERSION, ...result }, token, false);
  }

  /** Completes a job with any value at all: JSON of another shape, another version. */
  async completeRaw({ job, token }: TakenJob, value: unknown): Promise<void> {
    await (job as Job<JobData, unknown>).moveToCompleted(value, token, false);
  }

  /** Adds a job of its own to the run's queue; a real worker takes it as one of the coordinator's. */
  async add(jobId: string, data: Omit<JobData, 'protocol'>): Promise<void> {
    await this.joined(this.queue).add('task', { protocol: PROTOCOL_VERSION, ...data }, { jobId });
  }

  /** The result a worker gave a job, once the job finished. */
  async resultOf(jobId: string): Promise<JobResult> {
    const queue = this.joined(this.queue);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = await queue.getJob(jobId);
      if (found?.finishedOn) return found.returnvalue;
      if (Date.now() > deadline) throw new Error(`job ${jobId} never finished`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    clearInterval(this.presence);
    await this.worker?.close(true);
    await this.queue?.close();
    this.redis.disconnect();
  }

  private joined<T>(value: T | undefined): T {
    if (value === undefined) throw new Error('the rogue worker has not joined a run');
    return value;
  }
}
