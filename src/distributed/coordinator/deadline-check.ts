/**
 * The coordinator's own deadline: an agent that holds a job past taskTimeout plus the margin (it
 * hangs, or keeps renewing its lock without ever finishing) does not keep the run waiting. The task
 * fails as timed-out and its job is withdrawn: its lock is dropped and the job removed, so no later
 * result of it is taken.
 */
import type { TaskFailure } from '../../report/task-failure';
import type { CoordinatorRun } from './coordinator-run';
import type { PendingJob } from './pending-job';

export interface DeadlineCheck {
  pending: ReadonlyMap<string, PendingJob>;
  taskTimeoutMs: number;
  marginMs: number;
  fail(jobId: string, failure: TaskFailure): void;
}

export async function enforceDeadlines(connected: CoordinatorRun, check: DeadlineCheck, now: number): Promise<void> {
  const { taskTimeoutMs, marginMs } = check;
  if (!taskTimeoutMs) return;
  for (const [jobId, pending] of [...check.pending]) {
    if (pending.activeSince === undefined || now - pending.activeSince < taskTimeoutMs + marginMs) continue;
    check.fail(jobId, {
      reason: 'timed-out',
      message:
        `An agent held the task longer than taskTimeout (${taskTimeoutMs / 1000}s) plus ${marginMs / 1000}s ` +
        `without a result; the coordinator failed it and withdrew its job.`,
    });
    await connected.redis.del(connected.queue.toKey(`${jobId}:lock`));
    await connected.queue.remove(jobId);
  }
}
