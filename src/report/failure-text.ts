/**
 * The words for a failed task, made from its failure's data: what the terminal reporters, the
 * summary file and the trace show. The first line says what happened; further lines what to do.
 */
import type { ArtifactStep, LossDetection, RefusedCheck, TaskFailure } from './task-failure';

const STEPS: Record<ArtifactStep, string> = {
  upload: 'could not be stored',
  download: 'could not be fetched from the store',
  verify: 'were refused when checked',
  extract: 'could not be written into the workspace',
};

const LOSSES: Record<LossDetection, string> = {
  'lock-expired': 'its job lock expired twice (the agent stalled, died or was cut off)',
  'result-never-came': 'the run stopped before its result came',
  'not-queued': 'its job could not be queued',
};

function refusedCheck(check: RefusedCheck): string {
  switch (check.check) {
    case 'fingerprint':
      return `its workspace fingerprint is not the run's (${check.differences
        .map(({ field, run, job }) => `${field}: ${run} in the run, ${job} in the job`)
        .join('; ')})`;
    case 'run':
      return `it belongs to run ${check.found}, not ${check.expected}`;
    case 'task':
      return "no such task is in this run in the agent's checkout";
    case 'dependencies':
      return `it brings outputs of ${check.stranger}, which the task does not depend on`;
    case 'signature':
      return `it is ${check.problem} and the run has a shared secret`;
    case 'protocol':
      return check.problem;
    default: {
      const never: never = check;
      return never;
    }
  }
}

/** What the user reads of a failure; undefined when its reason says it all. */
export function failureText(failure: TaskFailure): string | undefined {
  switch (failure.reason) {
    case 'executor-failed':
    case 'threw':
    case 'worker-crashed':
    case 'timed-out':
    case 'interrupted':
      return failure.message;
    case 'refused': {
      const who =
        failure.refused === 'job'
          ? `Agent ${failure.agent ?? '(unnamed)'} refused the job under ${failure.key}`
          : `The coordinator refused the result under ${failure.key}${failure.agent ? ` from agent ${failure.agent}` : ''}`;
      return `${who}: ${refusedCheck(failure)}.`;
    }
    case 'artifact-failed': {
      const whose = failure.side === 'agent' ? `on agent ${failure.agent}` : `here (built by agent ${failure.agent})`;
      return `The outputs of ${failure.taskId} (archive ${failure.key}) ${STEPS[failure.step]} ${whose}: ${failure.cause}`;
    }
    case 'worker-lost': {
      const agent = failure.agent ? `Agent ${failure.agent}` : 'The agent';
      return `${agent} did not finish the task: ${LOSSES[failure.detected]}${failure.cause ? `: ${failure.cause}` : '.'}`;
    }
    default: {
      const never: never = failure;
      return never;
    }
  }
}

/** The data of a failure beside its reason and text, for the summary file; null when it has none. */
export function failureDetails(failure: TaskFailure): Record<string, unknown> | null {
  if (failure.reason !== 'refused' && failure.reason !== 'artifact-failed' && failure.reason !== 'worker-lost') {
    return null;
  }
  // A task result is a failure with its status beside the reason: neither is part of the data.
  const details: Record<string, unknown> = { ...failure };
  delete details.reason;
  delete details.status;
  return details;
}
