/** Names a run shares between the coordinator and its workers. */
import { createHash } from 'node:crypto';

/** The BullMQ queue of a run; one queue per run. */
export const queueName = (runId: string): string => `nx-parallel-${runId}`;

/** sha256 of the sorted task ids: equal on two checkouts whose graphs hold the same tasks. */
export function graphHash(taskIds: readonly string[]): string {
  return createHash('sha256')
    .update([...taskIds].sort().join('\n'))
    .digest('hex');
}

/** A key per stored archive: the run, the task, and a part unique to the attempt that stored it. */
export function artifactKey(runId: string, taskId: string, attempt: string): string {
  return `${runId}/${encodeURIComponent(taskId)}/${attempt}`;
}
