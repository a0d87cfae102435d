/**
 * Settles jobs that finished while their queue event was lost, and starts the deadline of a job
 * whose 'active' event was lost; looks every few seconds, not at every check.
 */
import type { TaskFailure } from '../../report/task-failure';
import type { CoordinatorRun } from './coordinator-run';
import { readJobFailure } from '../protocol/job-refusal';
import type { PendingJob } from './pending-job';

export interface JobStateHost {
  pending: ReadonlyMap<string, PendingJob>;
  settle(jobId: string, value: unknown): void;
  fail(jobId: string, failure: TaskFailure): void;
}

export class JobStateCheck {
  private lastCheck = 0;

  constructor(
    private readonly host: JobStateHost,
    private readonly everyMs: number,
  ) {}

  async check(connected: CoordinatorRun, now: number): Promise<void> {
    if (now - this.lastCheck < this.everyMs) return;
    this.lastCheck = now;
    for (const jobId of [...this.host.pending.keys()]) {
      const state = await connected.queue.getJobState(jobId);
      const pending = this.host.pending.get(jobId);
      if (state === 'active' && pending && pending.activeSince === undefined) pending.activeSince = now;
      if (state !== 'completed' && state !== 'failed') continue;
      const job = await connected.queue.getJob(jobId);
      if (job?.finishedOn && state === 'failed') {
        this.host.fail(jobId, readJobFailure(job.failedReason, job.processedBy));
      } else if (job?.finishedOn) this.host.settle(jobId, job.returnvalue);
    }
  }
}
