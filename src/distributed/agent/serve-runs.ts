/**
 * The `nx-parallel worker` loop: waits for runs announced in Redis and serves them one after the
 * other, on worker processes kept warm from one run to the next of the same workspace. A run whose
 * workspace fingerprint differs from this checkout's is refused, and the refusal is left for its
 * coordinator to report.
 */
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { createProjectGraphAsync, readProjectsConfigurationFromProjectGraph } from '@nx/devkit';
import { readWorkspaceNxJson } from '../../nx/nx-json';
import { ProcessPool } from '../../pool/process-pool';
import { fingerprintDifferences, readFingerprint, unknownAdvice } from '../protocol/fingerprint';
import type { RunAnnouncement } from '../protocol/job-protocol';
import { redactUrl } from '../protocol/redact-url';
import { connectRedis, type RedisTarget } from '../protocol/redis-connection';
import { listRuns, refuseRun, sweepExpiredRuns, type Malformed } from '../protocol/run-registry';
import { queueName } from '../protocol/run-names';
import { signatureProblem } from '../protocol/signing';
import { buildRunGraph, type AgentWorkspace } from './run-checks';
import { serveRun } from './serve-run';
import { sleep, within } from '../protocol/wait';
import { AGENT_TIMING, type AgentTiming } from './agent-timing';
import { WarmPool } from './warm-pool';

export interface ServeRunsOptions {
  redis: RedisTarget;
  /** The workspace root of this checkout. */
  root: string;
  workerId: string;
  concurrency: number;
  /** The shared secret (env NX_PARALLEL_SECRET): runs and jobs must be signed with it, results are. */
  secret?: string;
  /** Stop after serving this many runs. */
  runs?: number;
  /** Stop after this long without a run to serve. */
  idleTimeoutMs?: number;
  /** Intervals and deadlines; the defaults are AGENT_TIMING. */
  timing?: Partial<AgentTiming>;
  signal: AbortSignal;
  log: (line: string) => void;
}

/** Removes the queues of runs whose coordinator died without ending them, with their jobs and outputs. */
async function removeAbandonedRuns(redis: Redis, log: (line: string) => void): Promise<void> {
  for (const runId of await sweepExpiredRuns(redis)) {
    const queue = new Queue(queueName(runId), { connection: redis });
    await queue.obliterate({ force: true });
    await queue.close();
    log(`Removed the queue of run ${runId}, whose coordinator is gone.`);
  }
}

/**
 * The workspace last loaded, by the fingerprint it was loaded at. Building the project graph is the
 * costliest step of joining a run (Nx starts its plugin workers for it), and the same fingerprint
 * (commit, changes, lock file, versions) gives the same graph, so it is built once for all the runs
 * of one checkout state.
 */
interface LoadedWorkspace {
  fingerprint: string;
  workspace: Promise<AgentWorkspace>;
}

async function loadWorkspace(root: string): Promise<AgentWorkspace> {
  const projectGraph = await createProjectGraphAsync({ exitOnError: false });
  return {
    root,
    projectGraph,
    nxJson: readWorkspaceNxJson(root),
    projectsConfigurations: readProjectsConfigurationFromProjectGraph(projectGraph),
  };
}

export async function serveRuns(options: ServeRunsOptions): Promise<void> {
  const { root, workerId, signal, log } = options;
  const timing: AgentTiming = { ...AGENT_TIMING, ...options.timing };
  const redis = await connectRedis(options.redis, `nx-parallel worker ${workerId}`);
  const pool = new WarmPool({
    createPool: (settings) => new ProcessPool(settings),
    keepWarmMs: timing.keepWarmMs,
    log,
  });
  const passed = new Set<string>();
  let served = 0;
  let idleSince = Date.now();
  let unreachable = false;
  let lastSweep = 0;
  const loaded: { last?: LoadedWorkspace } = {};
  // One warning per key, not one every poll.
  const named = new Set<string>();
  const onMalformed = ({ key, problem }: Malformed): void => {
    if (named.has(key)) return;
    named.add(key);
    log(`Skipped ${key}: ${problem}.`);
  };
  log(`Agent ${workerId} waits for runs on ${redactUrl(options.redis.url)} (${options.concurrency} at a time).`);
  try {
    while (!signal.aborted) {
      let runs: RunAnnouncement[];
      try {
        runs = await listRuns(redis, onMalformed);
        if (Date.now() - lastSweep >= timing.sweepMs) {
          lastSweep = Date.now();
          await removeAbandonedRuns(redis, log);
        }
        if (unreachable) log('Redis answers again.');
        unreachable = false;
      } catch (error) {
        if (!unreachable) log(`Redis does not answer (${String(error)}); trying again.`);
        unreachable = true;
        await sleep(timing.pollMs, signal);
        continue;
      }
      const run = runs.find((candidate) => !passed.has(candidate.runId));
      if (!run) {
        if (options.idleTimeoutMs !== undefined && Date.now() - idleSince >= options.idleTimeoutMs) {
          log(`No run for ${options.idleTimeoutMs / 1000}s; stopping.`);
          break;
        }
        await sleep(timing.pollMs, signal);
        continue;
      }
      passed.add(run.runId);
      const { secret } = options;
      const forged = secret ? signatureProblem(run, secret, `run:${run.runId}`) : undefined;
      if (forged) {
        // Not the coordinator's, so no refusal is left under its keys: only named here.
        onMalformed({
          key: `nx-parallel:run:${run.runId}`,
          problem: `the announcement is ${forged} (this agent has a shared secret)`,
        });
        continue;
      }
      if (run.signed && !secret) {
        const reason = `the run is signed with a shared secret and this agent has none: set NX_PARALLEL_SECRET to the coordinator's and restart it`;
        const refusal = { workerId, fingerprint: readFingerprint(root), reason };
        await refuseRun(redis, run.runId, refusal, timing.presenceTtlMs);
        log(`Refused run ${run.runId} of ${run.coordinator}: ${reason}`);
        continue;
      }
      const reason = await checkRun(run, root, workerId, loaded);
      const graph = typeof reason === 'string' ? reason : buildRunGraph(run, reason);
      if (typeof graph === 'string') {
        const refusal = { workerId, fingerprint: readFingerprint(root), reason: graph };
        await refuseRun(redis, run.runId, refusal, timing.presenceTtlMs);
        log(`Refused run ${run.runId} of ${run.coordinator}: ${graph}`);
        continue;
      }
      await serveRun({ ...options, redis, run, workspace: reason as AgentWorkspace, pool, timing }, graph);
      idleSince = Date.now();
      if (options.runs !== undefined && ++served >= options.runs) break;
    }
  } finally {
    // No worker process outlives the agent, warm or not.
    await pool.close();
    // Without Redis, a polite QUIT would wait for it forever.
    await within(redis.quit(), timing.quitDeadlineMs);
    redis.disconnect();
  }
}

/** This checkout's workspace, when its fingerprint is the run's; otherwise why not. */
async function checkRun(
  run: RunAnnouncement,
  root: string,
  workerId: string,
  loaded: { last?: LoadedWorkspace },
): Promise<AgentWorkspace | string> {
  const mine = readFingerprint(root);
  const advice = unknownAdvice(run.fingerprint, `the coordinator ${run.coordinator}`) ?? unknownAdvice(mine, workerId);
  if (advice) return `its workspace cannot be compared with the coordinator's: ${advice}`;
  const differences = fingerprintDifferences(run.fingerprint, mine, {
    ours: 'coordinator',
    theirs: workerId,
  });
  if (differences.length) return `its workspace differs from the coordinator's: ${differences.join('; ')}`;
  const fingerprint = JSON.stringify(mine);
  if (loaded.last?.fingerprint !== fingerprint) {
    const workspace = loadWorkspace(root);
    loaded.last = { fingerprint, workspace };
    // A graph that could not be built is built again for the next run.
    workspace.catch(() => {
      if (loaded.last?.workspace === workspace) delete loaded.last;
    });
  }
  return loaded.last.workspace;
}
