/**
 * A job an agent would not run. BullMQ keeps only the text of the error a processor throws (the
 * job's failedReason), so the refusal travels in it as JSON, and the coordinator reads it back as
 * data; any other failedReason is BullMQ's own or an agent's unexpected error.
 */
import type { RefusedCheck, TaskFailure } from '../../report/task-failure';
import { PROTOCOL_VERSION, type JobRefusal } from './job-protocol';
import { checkJobRefusal } from './protocol-check';

/** Thrown by an agent's processor: the job fails, and its coordinator hears why. */
export class JobRefusedError extends Error {
  constructor(agent: string, key: string, refusal: RefusedCheck) {
    const data: JobRefusal = { protocol: PROTOCOL_VERSION, agent, key, refusal };
    super(JSON.stringify(data));
    this.name = 'JobRefusedError';
  }
}

/** BullMQ's own words for a job whose lock expired more often than maxStalledCount allows. */
const STALLED = /stalled more than allowable limit/;

/** Why BullMQ failed a job, from its failedReason and the agent that last held it (BullMQ's processedBy). */
export function readJobFailure(failedReason: string, agent: string | undefined): TaskFailure {
  let value: unknown;
  try {
    value = JSON.parse(failedReason);
  } catch {
    value = undefined;
  }
  const checked = checkJobRefusal(value);
  if (checked.ok) {
    const { agent: by, key, refusal } = checked.value;
    return { reason: 'refused', refused: 'job', agent: by, key, ...refusal };
  }
  if (STALLED.test(failedReason))
    return { reason: 'worker-lost', detected: 'lock-expired', ...(agent ? { agent } : {}) };
  return { reason: 'threw', message: `Agent ${agent ?? '(unnamed)'} failed the job: ${failedReason}` };
}
