/**
 * An agent serving one run: it builds the run's task graph from its own checkout, takes the run's
 * jobs from BullMQ and runs them on its warm local `processes` pool, until the coordinator ends the
 * run or the agent is told to stop. Whatever still runs of the run then is killed, with the pool's
 * processes; a pool that runs nothing of it stays warm for the next run.
 */
import { totalmem } from 'node:os';
import { WaitingError, Worker, type Job } from 'bullmq';
import type Redis from 'ioredis';
import type { InnerTaskGraph } from '../../graph/task-graph';
import { resolveMemoryLimit } from '../../pool/memory-limit';
import { createBaseEnv } from '../../worker/task-env';
import type { TaskOutcome } from '../../worker/protocol';
import { createArtifactStore } from '../artifacts/create-artifact-store';
import type { RefusedCheck } from '../../report/task-failure';
import { artifactFailure } from '../protocol/artifact-failure';
import { JobRefusedError } from '../protocol/job-refusal';
import { PROTOCOL_VERSION, type JobData, type JobResult, type RunAnnouncement } from '../protocol/job-protocol';
import { checkJobData } from '../protocol/protocol-check';
import { signatureProblem, signed } from '../protocol/signing';
import { JobOutput, type OutputChunk } from '../protocol/job-output';
import { artifactKey } from '../protocol/run-names';
import { isRunOpen, leaveRun, reportPresence } from '../protocol/run-registry';
import { sleep, unless, within } from '../protocol/wait';
import { AgentArtifacts } from './agent-artifacts';
import type { AgentTiming } from './agent-timing';
import { refuseJob, type AgentWorkspace } from './run-checks';
import type { WarmPool } from './warm-pool';

export interface ServeRunOptions {
  redis: Redis;
  run: RunAnnouncement;
  workspace: AgentWorkspace;
  workerId: string;
  concurrency: number;
  /** The shared secret: jobs must be signed with it, results are. */
  secret?: string;
  /** The agent's pool, warm from its last run when that was of the same workspace and settings. */
  pool: WarmPool;
  timing: AgentTiming;
  /** Aborted when the worker itself stops. */
  signal: AbortSignal;
  log: (line: string) => void;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function serveRun(options: ServeRunOptions, inner: InnerTaskGraph): Promise<void> {
  const { redis, run, workspace, workerId, concurrency, signal, log, secret, timing } = options;
  const baseEnv = createBaseEnv(undefined, workspace.projectGraph, workspace.root);
  const pool = await options.pool.acquire(run.fingerprint, {
    size: concurrency,
    env: baseEnv,
    onStrayOutput: (text) => process.stderr.write(text),
    taskTimeoutMs: run.taskTimeoutMs,
    maxTasksPerWorker: run.maxTasksPerWorker,
    // The agent's machine, not the coordinator's, decides how much memory its workers may take.
    memoryLimitBytes: resolveMemoryLimit('auto', totalmem(), concurrency),
  });
  await pool.initialize({
    root: workspace.root,
    cwd: workspace.root,
    isVerbose: false,
    projectGraph: workspace.projectGraph,
    projectsConfigurations: workspace.projectsConfigurations,
    nxJsonConfiguration: workspace.nxJson,
    taskGraph: inner.taskGraph,
    baseEnv,
  });
  const artifacts = new AgentArtifacts(
    createArtifactStore(run.artifactStore, { redis }),
    workspace.root,
    inner.taskGraph,
  );
  // Set when the run is over: no task of it may start on the pool after that.
  let ended = false;
  let running = 0;
  const processJob = async (job: Job<JobData, JobResult>, token?: string): Promise<JobResult> => {
    const checked = checkJobData(job.data);
    const context = `${run.queue}:${job.id ?? '?'}`;
    const unsigned = checked.ok && secret ? signatureProblem(job.data, secret, `job:${context}`) : undefined;
    if (!checked.ok || unsigned) {
      // Failed, not run: its coordinator (if it has one) hears why, and this agent serves on.
      const key = `bull:${context}`;
      const problem = checked.ok ? `the job is ${unsigned} (this agent has a shared secret)` : checked.problem;
      log(`Skipped the job under ${key}: ${problem}.`);
      const refusal: RefusedCheck =
        checked.ok && unsigned ? { check: 'signature', problem: unsigned } : { check: 'protocol', problem };
      throw new JobRefusedError(workerId, key, refusal);
    }
    const refused = refuseJob(job.data, run, inner);
    if (refused) throw new JobRefusedError(workerId, `bull:${context}`, refused);
    const began = performance.now();
    const attempt = token ?? `attempt-${job.attemptsStarted}`;
    const output = new JobOutput((from, text) => {
      const chunk: OutputChunk = { attempt, from, text };
      job.updateProgress(chunk).catch(() => undefined); // live output is a courtesy: the result has it all
    });
    try {
      const result = await runJob(job, token, attempt, output);
      return signed({ ...result, ranMs: Math.round(performance.now() - began) }, secret, `result:${context}`);
    } finally {
      output.close();
    }
  };
  const runJob = async (
    job: Job<JobData, JobResult>,
    token: string | undefined,
    attempt: string,
    output: JobOutput,
  ): Promise<JobResult> => {
    const { taskId, runId, dependencies } = job.data;
    try {
      await artifacts.restoreDependencies(dependencies);
    } catch (error) {
      // Each step names the archive it failed on; this is only for an error outside the steps.
      const where = { side: 'agent', agent: workerId, taskId, key: '', step: 'download' } as const;
      const outcome: TaskOutcome = { status: 'failed', ...artifactFailure(error, where) };
      return { protocol: PROTOCOL_VERSION, outcome, output: output.text(), attempt, workerId };
    }
    // This worker is stopping, not the task failing: the job goes back to the queue for another.
    const handBack = async (): Promise<never> => {
      await job.moveToWait(token);
      throw new WaitingError();
    };
    if (signal.aborted) return handBack();
    // The pool may serve the next run already: nothing of this one starts on it any more.
    if (ended) throw new Error(`${workerId} left run ${runId} before ${taskId} could start`);
    const request = { seq: options.pool.nextSeq(), taskId };
    running++;
    const { outcome, workerId: localId } = await pool
      .run(request, (text) => output.append(text))
      .finally(() => running--);
    if (signal.aborted) return handBack();
    output.close();
    const result: JobResult = {
      protocol: PROTOCOL_VERSION,
      outcome,
      output: output.text(),
      attempt,
      workerId: `${workerId}/${localId}`,
    };
    if (outcome.status !== 'succeeded') return result;
    // Taken for dead (paused, cut off) while the task ran, this worker lost the job to another one:
    // BullMQ will refuse this result, so its outputs are not stored, where nothing would delete them.
    if (token && !(await job.extendLock(token, run.lockMs))) {
      log(
        `Dropped the result of ${taskId}: this worker lost its job while the task ran (to another worker, or the run ended).`,
      );
      return result;
    }
    const key = artifactKey(runId, taskId, `${workerId}-${job.attemptsStarted}-${request.seq}`);
    try {
      result.artifact = await artifacts.storeOutputs(taskId, key);
    } catch (error) {
      const where = { side: 'agent', agent: workerId, taskId, key, step: 'upload' } as const;
      result.outcome = { status: 'failed', ...artifactFailure(error, where) };
    }
    return result;
  };
  // The worker blocks on its connection, so it gets one of its own, closed when the run ends.
  const connection = redis.duplicate();
  connection.on('error', () => undefined);
  const worker = new Worker<JobData, JobResult>(run.queue, processJob, {
    // BullMQ records it on each job it takes (processedBy): the coordinator names the agent it lost.
    name: workerId,
    connection,
    concurrency,
    lockDuration: run.lockMs,
    // A dead worker's job moves on within lockDuration plus this.
    stalledInterval: Math.max(1000, Math.min(run.lockMs / 2, 5000)),
    maxStalledCount: 1,
    // A job handed back with a priority wakes no idle worker (BullMQ sets no marker for it): an
    // idle worker looks again every second instead of every five.
    drainDelay: 1,
  });
  // A job of an ended run, or one taken over after this worker was taken for dead, fails to
  // complete here; that is expected and not this worker's business to report.
  worker.on('error', () => undefined);
  log(`Serving run ${run.runId} of ${run.coordinator} (${inner.ids.length} tasks).`);
  const heartbeat = async (): Promise<boolean> => {
    await reportPresence(redis, run.runId, { workerId, concurrency, lastSeen: Date.now() }, timing.presenceTtlMs);
    return isRunOpen(redis, run.runId);
  };
  // Commands wait for Redis to come back. Once the connection has been down for longer than a job
  // lock, this worker's jobs are no longer its own (they go to other workers, or the run is over).
  let downSince: number | undefined;
  const onClose = (): void => void (downSince ??= Date.now());
  const onReady = (): void => void (downSince = undefined);
  redis.on('close', onClose).on('ready', onReady);
  const lost = (): boolean => downSince !== undefined && Date.now() - downSince >= run.lockMs;
  try {
    while (!signal.aborted) {
      const open = await unless(heartbeat(), () => lost() || signal.aborted);
      if (open === undefined && lost()) {
        log(`Lost Redis for ${run.lockMs / 1000}s (workerLockSeconds): leaving run ${run.runId}.`);
        break;
      }
      if (!open) break;
      await sleep(timing.heartbeatMs, signal);
    }
  } catch (error) {
    log(`Lost the run ${run.runId}: ${errorText(error)}`);
  } finally {
    // Tasks still running belong to a run that ended or was cancelled, or this worker stops: they
    // are killed with the pool's processes, and a stopping worker hands their jobs back before it
    // closes. A pool that runs nothing of the run stays warm.
    ended = true;
    if (signal.aborted || running > 0) await options.pool.close();
    else options.pool.release();
    // Without Redis the hand-back cannot finish; a stopping worker does not wait for it forever.
    await within(worker.close(), timing.closeDeadlineMs);
    connection.disconnect();
    // Without Redis, saying so waits for it to come back; the coordinator sees this worker go silent.
    await unless(
      leaveRun(redis, run.runId, workerId).catch(() => undefined),
      () => downSince !== undefined,
    );
    redis.off('close', onClose).off('ready', onReady);
    log(`Left run ${run.runId}.`);
  }
}
