/**
 * The coordinator of the `distributed` backend, a WorkerPool: each task the scheduler starts becomes
 * a job of this run's BullMQ queue, prioritised by its rank; agents on other machines take the jobs.
 * Results come from BullMQ's queue events, and the periodic checks (run-checks.ts) settle any whose
 * event was lost, so no task waits forever. Every call to run() gets exactly one result: the first
 * that arrives; BullMQ's job locks keep an agent that was taken for dead from completing a job that
 * another agent took over.
 */
import { INTERRUPTED_MESSAGE, type PoolRunResult, type WorkerPool } from '../../pool/worker-pool';
import type { Notify } from '../../report/notices';
import type { TaskFailure } from '../../report/task-failure';
import type { TaskOutcome, TaskRequest, WorkerInit } from '../../worker/protocol';
import { openCoordinatorRun, type CoordinatorRun } from './coordinator-run';
import { artifactFailure } from '../protocol/artifact-failure';
import { ShownOutput } from '../protocol/job-output';
import { PROTOCOL_VERSION, type JobData, type RunSelection } from '../protocol/job-protocol';
import { readJobFailure } from '../protocol/job-refusal';
import { checkJobResult } from '../protocol/protocol-check';
import { signatureProblem, signed } from '../protocol/signing';
import type { RedisTarget } from '../protocol/redis-connection';
import { COORDINATOR_TIMING, type CoordinatorTiming } from './coordinator-timing';
import { within } from '../protocol/wait';
import type { PendingJob } from './pending-job';
import { RunChecks } from './run-checks';

export interface DistributedPoolOptions {
  redis: RedisTarget;
  /** `redis` or `s3://bucket/prefix`. */
  artifactStore: string;
  /** The shared secret: announcement and jobs are signed, results must be. */
  secret?: string;
  lockMs: number;
  waitForWorkersMs: number;
  selection: RunSelection;
  /** Files this run writes (summary, profile; relative to the workspace root), left out of its fingerprint. */
  ownFiles?: readonly string[];
  taskTimeoutMs: number;
  /**
   * With a taskTimeout, how much longer than it an agent may hold a job before the coordinator
   * fails the task as timed-out and withdraws its job (default 10 s: the agent's own timeout,
   * its kill and its result come first).
   */
  deadlineMarginMs?: number;
  /** Intervals and deadlines; the defaults are COORDINATOR_TIMING. */
  timing?: Partial<CoordinatorTiming>;
  maxTasksPerWorker: number | undefined;
  /** Tells the user something: waiting for workers, a worker joined, left or refused the run. */
  notify: Notify;
}

/** The states of a job no agent holds yet. */
const QUEUED_STATES = new Set(['waiting', 'prioritized', 'delayed', 'waiting-children']);
/** BullMQ's lowest priority; 1 is its highest. */
const LOWEST_PRIORITY = 2_097_151;

/** A task in flight when the run could go no further, with why it could not. */
const lostTask = (cause: string): TaskOutcome => ({
  status: 'failed',
  reason: 'worker-lost',
  detected: 'result-never-came',
  cause,
});

export class DistributedPool implements WorkerPool {
  /** Every ready task becomes a job at once; how many run together is up to the agents. */
  readonly size = Number.MAX_SAFE_INTEGER;
  private connected: CoordinatorRun | undefined;
  private readonly pending = new Map<string, PendingJob>();
  private checks: RunChecks | undefined;
  private lost: string | undefined;
  private lostListener: ((cause: string) => void) | undefined;
  private workersListener: ((workers: number) => void) | undefined;
  private closing: Promise<void> | undefined;
  private withdrawing: Promise<void> = Promise.resolve();

  private readonly timing: CoordinatorTiming;

  constructor(private readonly options: DistributedPoolOptions) {
    this.timing = { ...COORDINATOR_TIMING, ...options.timing };
  }

  async initialize(init: WorkerInit): Promise<void> {
    let down = false;
    const connected = await openCoordinatorRun(this.options, init, {
      completed: (jobId, result) => this.settle(jobId, result),
      failed: (jobId, reason) => void this.failedJob(jobId, reason),
      progress: (jobId, chunk) => this.pending.get(jobId)?.shown.chunk(chunk),
      stalled: (jobId) =>
        this.pending
          .get(jobId)
          ?.onOutput(
            '\n[nx-parallel] The agent running this task stopped answering; the task goes to another agent.\n',
          ),
      active: (jobId) => {
        const pending = this.pending.get(jobId);
        if (pending) pending.activeSince = Date.now();
      },
      disconnected: (isDown) => {
        down = isDown;
        this.checks?.connection(isDown);
      },
    });
    this.connected = connected;
    const { options } = this;
    this.checks = new RunChecks({
      connected,
      timing: this.timing,
      redisUrl: options.redis.url,
      waitForWorkersMs: options.waitForWorkersMs,
      taskTimeoutMs: options.taskTimeoutMs,
      deadlineMarginMs: options.deadlineMarginMs ?? this.timing.deadlineMarginMs,
      pending: this.pending,
      settle: (jobId, value) => this.settle(jobId, value),
      fail: (jobId, failure) => this.fail(jobId, failure),
      notify: options.notify,
      slotsChanged: (slots) => this.workersListener?.(slots),
      lose: (cause) => this.lose(cause),
    });
    // The connection may have closed while the run was being opened.
    if (down) this.checks.connection(true);
  }

  run(request: TaskRequest, onOutput: (text: string) => void): Promise<PoolRunResult> {
    return new Promise((resolve) => {
      const jobId = `task-${request.seq}`;
      if (this.closing) return resolve({ outcome: interrupted(), workerId: 'distributed' });
      if (this.lost) return resolve({ outcome: lostTask(this.lost), workerId: 'distributed' });
      const queued = this.enqueue(jobId, request).catch((error: unknown) =>
        this.fail(jobId, { reason: 'worker-lost', detected: 'not-queued', cause: String(error) }),
      );
      this.pending.set(jobId, {
        request,
        handedAt: Date.now(),
        queued,
        onOutput,
        shown: new ShownOutput(onOutput),
        resolve,
      });
    });
  }

  /**
   * The failure policy stopped the run: jobs no agent took yet are removed from the queue and
   * their tasks reported as not started. BullMQ refuses to remove a job an agent holds (locked),
   * so a job taken in the meantime runs to its end.
   */
  withdrawQueued(): void {
    const connected = this.connected;
    if (!connected || this.closing) return;
    const withdrawals = [...this.pending].map(([jobId, pending]) => this.withdraw(connected, jobId, pending));
    this.withdrawing = Promise.all(withdrawals).then(() => undefined);
  }

  private async withdraw(connected: CoordinatorRun, jobId: string, pending: PendingJob): Promise<void> {
    try {
      await pending.queued;
      // Closing removes the whole queue; a removal after it would leave keys behind.
      if (this.closing) return;
      if (!QUEUED_STATES.has(await connected.queue.getJobState(jobId))) return;
      if ((await connected.queue.remove(jobId)) !== 1) return;
    } catch {
      return; // Redis is gone: the run is lost anyway, and says so
    }
    if (this.pending.get(jobId) !== pending) return;
    this.pending.delete(jobId);
    pending.resolve({ outcome: interrupted(), workerId: 'distributed', withdrawn: true });
  }

  onSizeChange(listener: (workers: number) => void): void {
    this.workersListener = listener;
    const slots = this.checks?.slots;
    if (slots !== undefined) listener(slots);
  }

  onLost(listener: (cause: string) => void): void {
    this.lostListener = listener;
  }

  close(): Promise<void> {
    return (this.closing ??= this.shutdown());
  }

  private async enqueue(jobId: string, request: TaskRequest): Promise<void> {
    const connected = this.connected;
    if (!connected) throw new Error('The distributed pool runs tasks only after initialize().');
    const dependencies = await connected.artifacts.forDependenciesOf(request.taskId);
    // Closing removes the whole queue; a job added after it would leave keys behind.
    if (this.closing) return;
    const unsigned: JobData = {
      protocol: PROTOCOL_VERSION,
      runId: connected.runId,
      seq: request.seq,
      taskId: request.taskId,
      hash: request.hash,
      fingerprint: connected.fingerprint,
      dependencies,
    };
    const data = signed(unsigned, this.options.secret, `job:${connected.queue.name}:${jobId}`);
    const priority = Math.min(LOWEST_PRIORITY, Math.max(1, LOWEST_PRIORITY - Math.round(request.priority ?? 0)));
    await connected.queue.add('task', data, { jobId, priority, attempts: 1 });
  }

  /**
   * Accepts the first result of a job; later ones (a worker taken for dead, a repeated event) are
   * dropped. A result that is not of this protocol fails the task: nothing of it can be trusted.
   */
  private settle(jobId: string, value: unknown): void {
    const pending = this.pending.get(jobId);
    if (!pending || !this.connected) return;
    const checked = checkJobResult(value);
    const { secret } = this.options;
    const unsigned =
      checked.ok && secret
        ? signatureProblem(value, secret, `result:${this.connected.queue.name}:${jobId}`)
        : undefined;
    if (!checked.ok || unsigned) {
      const key = `bull:${this.connected.queue.name}:${jobId}`;
      const problem = checked.ok ? `the result is ${unsigned} (this run has a shared secret)` : checked.problem;
      this.options.notify({ kind: 'result-skipped', key, problem });
      const agent = checked.ok ? { agent: checked.value.workerId } : {};
      const check = unsigned
        ? ({ check: 'signature', problem: unsigned } as const)
        : ({ check: 'protocol', problem } as const);
      this.fail(jobId, { reason: 'refused', refused: 'result', key, ...agent, ...check });
      return;
    }
    this.pending.delete(jobId);
    const { outcome, artifact, output, attempt, workerId, ranMs } = checked.value;
    // The agent's own measure of the run (the machines' clocks need not agree); the rest was the queue.
    const queuedMs = ranMs === undefined ? undefined : Math.max(0, Date.now() - pending.handedAt - ranMs);
    const restored =
      outcome.status === 'succeeded' && artifact
        ? this.connected.artifacts.restore(pending.request.taskId, artifact).then(
            () => outcome,
            (error: unknown): TaskOutcome => {
              const { taskId } = pending.request;
              const where = {
                side: 'coordinator',
                agent: workerId,
                taskId,
                key: artifact.key,
                step: 'download',
              } as const;
              return { status: 'failed', ...artifactFailure(error, where) };
            },
          )
        : Promise.resolve(outcome);
    void restored.then((accepted) => {
      pending.shown.finish(attempt, output);
      pending.resolve({ outcome: accepted, workerId, ...(queuedMs === undefined ? {} : { queuedMs }) });
    });
  }

  /** A job BullMQ failed: refused by its agent, or its agent lost (named by BullMQ's processedBy). */
  private async failedJob(jobId: string, failedReason: string): Promise<void> {
    const agent = await this.connected?.queue.getJob(jobId).then(
      (job) => job?.processedBy,
      () => undefined,
    );
    this.fail(jobId, readJobFailure(failedReason, agent));
  }

  private fail(jobId: string, failure: TaskFailure): void {
    const pending = this.pending.get(jobId);
    if (!pending) return;
    this.pending.delete(jobId);
    pending.resolve({ outcome: { status: 'failed', ...failure }, workerId: 'distributed' });
  }

  /** The run can go no further: the scheduler hears it first, then every task in flight fails. */
  private lose(cause: string): void {
    if (this.lost) return;
    this.lost = cause;
    this.checks?.stop();
    this.lostListener?.(cause);
    for (const [jobId, pending] of [...this.pending]) {
      this.pending.delete(jobId);
      pending.resolve({ outcome: lostTask(cause), workerId: 'distributed' });
    }
  }

  private async shutdown(): Promise<void> {
    this.checks?.stop();
    for (const [jobId, pending] of [...this.pending]) {
      this.pending.delete(jobId);
      pending.resolve({ outcome: interrupted(), workerId: 'distributed' });
    }
    await within(this.withdrawing, this.timing.closeDeadlineMs);
    await this.connected?.close(this.checks?.disconnected ? 0 : this.timing.closeDeadlineMs);
  }
}

const interrupted = (): TaskOutcome => ({ status: 'failed', reason: 'interrupted', message: INTERRUPTED_MESSAGE });
