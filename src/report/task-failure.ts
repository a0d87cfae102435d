/**
 * Why a task failed, as data: each reason with what it needs to be told (see failure-text.ts for the
 * words). The distributed reasons name the agent and what exactly went wrong.
 */

/** Reasons that say all with an optional message: the error, the exit code, the signal. */
export type PlainFailureReason = 'executor-failed' | 'threw' | 'worker-crashed' | 'timed-out' | 'interrupted';

/** A part of the two workspace fingerprints that differs, or that one side cannot know. */
export interface FingerprintDifference {
  field: string;
  /** The run's value (the coordinator's fingerprint). */
  run: string;
  /** The job's value. */
  job: string;
}

/** Which check a job or a result failed, with what it found. */
export type RefusedCheck =
  /** The job's workspace fingerprint is not the run's. */
  | { check: 'fingerprint'; differences: FingerprintDifference[] }
  /** The job belongs to another run. */
  | { check: 'run'; expected: string; found: string }
  /** The job names a task the agent's checkout does not have in this run. */
  | { check: 'task' }
  /** The job brings outputs of a task the job's task does not depend on. */
  | { check: 'dependencies'; stranger: string }
  /** The run has a shared secret and the job or result has no valid signature. */
  | { check: 'signature'; problem: 'unsigned' | 'wrongly signed' }
  /** Not of this protocol: another version, another tool, another shape (as the protocol check says). */
  | { check: 'protocol'; problem: string };

export type ArtifactStep = 'upload' | 'download' | 'verify' | 'extract';

/** How the coordinator found that the agent running a task was gone. */
export type LossDetection =
  /** BullMQ's job lock expired twice: the agent stalled, died or was cut off. */
  | 'lock-expired'
  /** The run stopped (Redis lost, the announcement expired, no agent came; its cause) before the result came. */
  | 'result-never-came'
  /** The job could not be added to the queue. */
  | 'not-queued';

export type TaskFailure =
  | { reason: PlainFailureReason; message?: string }
  /** A job (by an agent) or a result (by the coordinator) was refused; not retried. */
  | ({
      reason: 'refused';
      /** The job, or the result, that was refused. */
      refused: 'job' | 'result';
      /** The agent that refused the job, or whose result was refused (when it can be told). */
      agent?: string;
      /** Its Redis key. */
      key: string;
    } & RefusedCheck)
  /** The outputs of the task, or of a dependency, could not be stored, fetched or restored; not retried. */
  | {
      reason: 'artifact-failed';
      /** Where it failed: on an agent, or on the coordinator restoring what an agent built. */
      side: 'agent' | 'coordinator';
      /** The agent that ran (or would have run) the task. */
      agent: string;
      /** The task whose archive it was. */
      taskId: string;
      /** The archive's key in the store. */
      key: string;
      step: ArtifactStep;
      cause: string;
    }
  /** The agent running the task was lost under it; retried with `retries`. */
  | { reason: 'worker-lost'; detected: LossDetection; agent?: string; cause?: string };

export type FailureReason = TaskFailure['reason'];

/** Whether a task that failed for this reason is started again under `retries`: its worker died, not the task. */
export function isRetryable(reason: FailureReason): boolean {
  return reason === 'worker-crashed' || reason === 'worker-lost';
}
