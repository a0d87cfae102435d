/** Questions asked of recorded task runs: which ran, in what order, how many at once. */
import type { TaskRecord } from './run-nx';

export function taskIds(records: readonly TaskRecord[]): string[] {
  return records.map((record) => record.task).sort();
}

export function byTask(records: readonly TaskRecord[]): Map<string, TaskRecord> {
  return new Map(records.map((record) => [record.task, record]));
}

export function recordOf(records: readonly TaskRecord[], task: string): TaskRecord {
  const record = records.find((r) => r.task === task);
  if (!record) throw new Error(`${task} did not run; ran: ${taskIds(records).join(', ') || 'nothing'}`);
  return record;
}

/** The most tasks running at one moment; a task ending at the moment another starts does not overlap it. */
export function maxConcurrency(records: readonly TaskRecord[]): number {
  const events = records.flatMap((record) => [
    { at: record.start, delta: 1 },
    { at: record.end, delta: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let most = 0;
  for (const { delta } of events) {
    running += delta;
    most = Math.max(most, running);
  }
  return most;
}

export function overlap(a: TaskRecord, b: TaskRecord): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The output's lines, as printed (a space at the end of a line is content: Nx may cut a line there). */
export function outputLines(output: string): string[] {
  return output.split('\n');
}
