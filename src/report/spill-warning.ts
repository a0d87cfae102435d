/** The one warning of a run whose task outputs could not be written to temporary files. */
import { tmpdir } from 'node:os';
import type { TaskRecord } from './events';
import type { Notice } from './notices';

export function findSpillFailures(records: readonly TaskRecord[]): Notice | undefined {
  const failed = records.flatMap((record) => {
    const failure = record.output.spillFailure;
    return failure ? [{ taskId: record.taskId, ...failure }] : [];
  });
  const first = failed[0];
  if (!first) return undefined;
  return {
    kind: 'output-kept-in-memory',
    taskIds: failed.map((failure) => failure.taskId),
    directory: tmpdir(),
    error: first.error,
    droppedChars: failed.reduce((sum, failure) => sum + failure.droppedChars, 0),
  };
}
