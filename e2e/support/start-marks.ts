/** The start markers the recording executor writes, `marks/<task>.started`: proof a task began, and where. */
import fs from 'node:fs';
import path from 'node:path';

export interface StartMark {
  pid: number;
  threadId: number;
  /** When the marker was written, epoch milliseconds. */
  at: number;
}

function markFile(root: string, task: string): string {
  return path.join(root, 'marks', `${task.replace(/[^a-zA-Z0-9_-]/g, '_')}.started`);
}

/** The marker of a task, or undefined while it has not started (or is being written). */
export function findStartMark(root: string, task: string): StartMark | undefined {
  try {
    const file = markFile(root, task);
    const { pid, threadId } = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number; threadId: number };
    return { pid, threadId, at: fs.statSync(file).mtimeMs };
  } catch {
    return undefined;
  }
}

export function startMarkOf(root: string, task: string): StartMark {
  const mark = findStartMark(root, task);
  if (!mark) throw new Error(`${task} never started`);
  return mark;
}
