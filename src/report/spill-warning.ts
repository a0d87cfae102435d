/** The one warning of a run whose task outputs could not be written to temporary files. */
import { tmpdir } from 'node:os';
import type { TaskRecord } from './events';

export function describeSpillFailures(records: readonly TaskRecord[]): string | undefined {
  const failed = records.flatMap((record) => {
    const failure = record.output.spillFailure;
    return failure ? [{ taskId: record.taskId, ...failure }] : [];
  });
  const first = failed[0];
  if (!first) return undefined;
  const dropped = failed.reduce((sum, failure) => sum + failure.droppedChars, 0);
  const tasks =
    failed.length === 1 ? `task ${first.taskId}` : `${failed.length} tasks (${failed.map((f) => f.taskId).join(', ')})`;
  return (
    `The output of ${tasks} could not be written to a temporary file in ${tmpdir()} (${first.error}); ` +
    `it was kept in memory instead, ${dropped ? `and ${dropped} characters past the limit were dropped` : 'none of it lost'}. ` +
    'Free space there or set TMPDIR to a folder with room.'
  );
}
