/**
 * The coordinator of the `distributed` backend, a WorkerPool: each task the scheduler starts becomes
 * a job of this run's BullMQ queue, prioritised by its rank; workers on other machines take the jobs.
 * Results come from BullMQ's queue events, and a periodic look at the jobs in flight settles any
 * whose event was lost, so no task waits forever. Every call to run() gets exactly one result: the
 * first that arrives; BullMQ's job locks keep a worker that was taken for dead from completing a job
 * that another worker took over.
 */
import { INTERRUPTED_MESSAGE, type PoolRunResult, type WorkerPool } from '../../pool/worker-pool';
import type { FailureReason } from '../../report/events';
import type { Notify } from '../../report/notices';
import type { TaskOutcome, TaskRequest, WorkerInit } from '../../worker/protocol';
import { openCoordinatorRun, type CoordinatorRun } from './coordinator-run';
import { ShownOutput } from '../protocol/job-output';
import { PROTOCOL_VERSION, type JobData, type RunSelection } from '../protocol/job-protocol';
import { checkJobResult } from '../protocol/protocol-check';
import { signatureProblem, signed } from '../protocol/signing';
import { redactUrl } from '../protocol/redact-url';
import type { RedisTarget } from '../protocol/redis-connection';
import { COORDINATOR_TIMING, type CoordinatorTiming } from './coordinator-timing';
import { refreshRun } from '../protocol/run-registry';
import { within } from '../protocol/wait';
import { refusalNotice } from './agent-watch';

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

const AFTER_LOSS = 'the run stopped. Check that Redis is up and reachable, then run again.';
/** The states of a job no agent holds yet. */
const QUEUED_STATES = new Set(['waiting', 'prioritized', 'delayed', 'waiting-children']);
/** BullMQ's lowest priority; 1 is its highest. */
const LOWEST_PRIORITY = 2_097_151;

interface Pending {
  request: TaskRequest;
  /** When run() was called, by this machine's clock. */
  handedAt: number;
  /** When an agent took the job, by this machine's clock (the agents' clocks need not agree). */
  activeSince?: number;
  /** Settles once the job was added to the queue (or could not be). */
  queued: Promise<void>;
  onOutput: (text: string) => void;
  shown: ShownOutput;
  resolve: (result: PoolRunResult) => void;
}

const lostTask = (message: string): TaskOutcome => ({ status: 'failed', reason: 'worker-lost', message });

/**
 * Why BullMQ failed a job: an agent refused it (the text its refusal throws), or else the agent was
 * lost under it (it stalled twice, BullMQ's "job stalled more than allowable limit").
 */
function failedJobReason(failedReason: string): FailureReason {
  return / refuses the job /.test(failedReason) ? 'refused' : 'worker-lost';
}

export class DistributedPool implements WorkerPool {
  /** Every ready task becomes a job at once; how many run together is up to the workers. */
  readonly size = Number.MAX_SAFE_INTEGER;
  private connected: CoordinatorRun | undefined;
  private readonly pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  /** When the check now waiting on Redis started. */
  private checkingSince: number | undefined;
  private lost: string | undefined;
  private lostListener: ((cause: string) => void) | undefined;
  private workersListener: ((workers: number) => void) | undefined;
  /** The live agents' concurrency, summed, as last seen. */
  private slots: number | undefined;
  private closing: Promise<void> | undefined;
  private disconnectedAt: number | undefined;
  private noAgentSince = Date.now();
  private saidWaiting = false;
  private lastRefresh = 0;
  private lastJobCheck = 0;
  private withdrawing: Promise<void> = Promise.resolve();

  private readonly timing: CoordinatorTiming;

  constructor(private readonly options: DistributedPoolOptions) {
    this.timing = { ...COORDINATOR_TIMING, ...options.timing };
  }

  async initialize(init: WorkerInit): Promise<void> {
    this.connected = await openCoordinatorRun(this.options, init, {
      completed: (jobId, result) => this.settle(jobId, result),
      failed: (jobId, reason) => this.settleFailed(jobId, reason, failedJobReason(reason)),
      progress: (jobId, chunk) => this.pending.get(jobId)?.shown.chunk(chunk),
      stalled: (jobId) =>
        this.pending
          .get(jobId)
          ?.onOutput(
            '\n[nx-parallel] The worker running this task stopped answering; the task goes to another worker.\n',
          ),
      active: (jobId) => {
        const pending = this.pending.get(jobId);
        if (pending) pending.activeSince = Date.now();
      },
      disconnected: (down) => (this.disconnectedAt = down ? (this.disconnectedAt ?? Date.now()) : undefined),
    });
    this.lastRefresh = Date.now();
    this.noAgentSince = Date.now();
    this.timer = setInterval(() => void this.check(), this.timing.checkMs);
  }

  run(request: TaskRequest, onOutput: (text: string) => void): Promise<PoolRunResult> {
    return new Promise((resolve) => {
      const jobId = `task-${request.seq}`;
      if (this.closing) return resolve({ outcome: interrupted(), workerId: 'distributed' });
      if (this.lost) return resolve({ outcome: lostTask(this.lost), workerId: 'distributed' });
      const queued = this.enqueue(jobId, request).catch((error: unknown) =>
        this.settleFailed(jobId, `the job could not be queued: ${String(error)}`, 'worker-lost'),
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

  private async withdraw(connected: CoordinatorRun, jobId: string, pending: Pending): Promise<void> {
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
    if (this.slots !== undefined) listener(this.slots);
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
      this.settleFailed(jobId, `its result under ${key} is refused: ${problem}`, 'refused');
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
            (error: unknown): TaskOutcome => ({
              status: 'failed',
              reason: 'artifact-failed',
              message: `The task succeeded on ${workerId}, but its outputs could not be restored here: ${error instanceof Error ? error.message : String(error)}`,
            }),
          )
        : Promise.resolve(outcome);
    void restored.then((accepted) => {
      pending.shown.finish(attempt, output);
      pending.resolve({ outcome: accepted, workerId, ...(queuedMs === undefined ? {} : { queuedMs }) });
    });
  }

  private settleFailed(jobId: string, reason: string, kind: FailureReason): void {
    const pending = this.pending.get(jobId);
    if (!pending) return;
    this.pending.delete(jobId);
    pending.resolve({
      outcome: { status: 'failed', reason: kind, message: `A distributed worker did not finish the task: ${reason}` },
      workerId: 'distributed',
    });
  }

  /** The run can go no further: the scheduler hears it first, then every task in flight fails. */
  private lose(cause: string): void {
    if (this.lost) return;
    this.lost = cause;
    clearInterval(this.timer);
    this.lostListener?.(cause);
    for (const [jobId, pending] of [...this.pending]) {
      this.pending.delete(jobId);
      pending.resolve({ outcome: lostTask(cause), workerId: 'distributed' });
    }
  }

  private async check(): Promise<void> {
    const connected = this.connected;
    if (!connected || this.lost || this.closing) return;
    const now = Date.now();
    // Judged before anything waits on Redis: a check stuck on a dead or frozen Redis must not
    // hide that it is gone.
    const url = redactUrl(this.options.redis.url);
    if (this.disconnectedAt !== undefined && now - this.disconnectedAt >= this.timing.redisLostMs) {
      this.lose(`Lost the connection to Redis at ${url} for ${this.timing.redisLostMs / 1000}s; ${AFTER_LOSS}`);
      return;
    }
    if (this.checkingSince !== undefined && now - this.checkingSince >= this.timing.redisSilentMs) {
      this.lose(`Redis at ${url} has not answered for ${this.timing.redisSilentMs / 1000}s; ${AFTER_LOSS}`);
      return;
    }
    if (this.checkingSince !== undefined || this.disconnectedAt !== undefined) return;
    this.checkingSince = now;
    try {
      if (now - this.lastRefresh >= this.timing.refreshMs) {
        if (!(await refreshRun(connected.redis, connected.runId, this.timing.runTtlMs))) {
          this.lose(
            `The run's announcement in Redis expired: it was not refreshed for ${this.timing.runTtlMs / 1000}s ` +
              `(this process was busy or cut off from Redis), and the workers left the run. Run again.`,
          );
          return;
        }
        this.lastRefresh = now;
      }
      await this.checkAgents(connected, now);
      await this.checkDeadlines(connected, now);
      await this.checkJobs(connected, now);
    } catch {
      // Redis went away mid-check: the 'close' event starts the clock above.
    } finally {
      this.checkingSince = undefined;
    }
  }

  private async checkAgents(connected: CoordinatorRun, now: number): Promise<void> {
    const changes = await connected.watch.look(now);
    const { notify } = this.options;
    for (const { workerId, concurrency } of changes.joined) notify({ kind: 'agent-joined', workerId, concurrency });
    for (const workerId of changes.left) notify({ kind: 'agent-left', workerId });
    for (const workerId of changes.silent) notify({ kind: 'agent-silent', workerId });
    for (const refusal of changes.refusals) notify(refusalNotice(refusal, connected.fingerprint));
    if (changes.slots !== this.slots) {
      this.slots = changes.slots;
      this.workersListener?.(changes.slots);
    }
    if (changes.live > 0) {
      this.noAgentSince = now;
      this.saidWaiting = false;
      return;
    }
    const seconds = this.options.waitForWorkersMs / 1000;
    if (!this.saidWaiting && now - this.noAgentSince >= this.timing.sayWaitingAfterMs) {
      this.saidWaiting = true;
      this.options.notify({
        kind: 'waiting-for-agents',
        giveUpSeconds: seconds,
        commit: connected.fingerprint.commit,
        redisUrl: redactUrl(this.options.redis.url),
      });
    }
    if (now - this.noAgentSince >= this.options.waitForWorkersMs) {
      const refused = connected.watch.refusedAgents();
      this.lose(
        `No nx-parallel worker served this run for ${seconds}s (waitForWorkersSeconds)` +
          (refused.length ? `; refused by ${refused.join(', ')} (see above)` : '') +
          `. Start workers with \`npx nx-parallel worker --redis <url>\` in a checkout of the same commit.`,
      );
    }
  }

  /**
   * The coordinator's own deadline: an agent that holds a job past taskTimeout plus the margin
   * (it hangs, or keeps renewing its lock without ever finishing) does not keep the run waiting.
   * The task fails as timed-out and its job is withdrawn: its lock is dropped and the job removed,
   * so no later result of it is taken.
   */
  private async checkDeadlines(connected: CoordinatorRun, now: number): Promise<void> {
    const { taskTimeoutMs } = this.options;
    if (!taskTimeoutMs) return;
    const marginMs = this.options.deadlineMarginMs ?? this.timing.deadlineMarginMs;
    for (const [jobId, pending] of [...this.pending]) {
      if (pending.activeSince === undefined || now - pending.activeSince < taskTimeoutMs + marginMs) continue;
      this.pending.delete(jobId);
      pending.resolve({
        outcome: {
          status: 'failed',
          reason: 'timed-out',
          message:
            `An agent held the task longer than taskTimeout (${taskTimeoutMs / 1000}s) plus ${marginMs / 1000}s ` +
            `without a result; the coordinator failed it and withdrew its job.`,
        },
        workerId: 'distributed',
      });
      await connected.redis.del(connected.queue.toKey(`${jobId}:lock`));
      await connected.queue.remove(jobId);
    }
  }

  /** Settles jobs that finished while their event was lost; looks every few seconds, not every second. */
  private async checkJobs(connected: CoordinatorRun, now: number): Promise<void> {
    if (now - this.lastJobCheck < this.timing.jobCheckMs) return;
    this.lastJobCheck = now;
    for (const jobId of [...this.pending.keys()]) {
      const state = await connected.queue.getJobState(jobId);
      const pending = this.pending.get(jobId);
      // The 'active' event was lost: the deadline counts from now at the latest.
      if (state === 'active' && pending && pending.activeSince === undefined) pending.activeSince = now;
      if (state !== 'completed' && state !== 'failed') continue;
      const job = await connected.queue.getJob(jobId);
      if (job?.finishedOn && state === 'failed') {
        this.settleFailed(jobId, job.failedReason, failedJobReason(job.failedReason));
      } else if (job?.finishedOn) this.settle(jobId, job.returnvalue);
    }
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.timer);
    for (const [jobId, pending] of [...this.pending]) {
      this.pending.delete(jobId);
      pending.resolve({ outcome: interrupted(), workerId: 'distributed' });
    }
    await within(this.withdrawing, this.timing.closeDeadlineMs);
    await this.connected?.close(this.disconnectedAt ? 0 : this.timing.closeDeadlineMs);
  }
}

const interrupted = (): TaskOutcome => ({ status: 'failed', reason: 'interrupted', message: INTERRUPTED_MESSAGE });
