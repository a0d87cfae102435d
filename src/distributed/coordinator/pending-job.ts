/** A task the coordinator handed out as a job and has no result of yet. */
import type { PoolRunResult } from '../../pool/worker-pool';
import type { TaskRequest } from '../../worker/protocol';
import type { ShownOutput } from '../protocol/job-output';

export interface PendingJob {
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
