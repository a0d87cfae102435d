/**
 * Recorded task durations, for the critical-path schedule: `.nx/workspace-data/nx-parallel/history.json`
 * in the workspace. Each task id keeps a smoothed estimate, so one slow run moves it only halfway.
 * A missing file is an empty history; a corrupt one is ignored with a warning and rebuilt.
 *
 * Two runs in one workspace at once each load the file at their start and save at their end: a save
 * reads the file again right before its atomic write and merges, so the run that saves last keeps
 * the durations the other one recorded (its own measurements win for the tasks it ran). Only a
 * save landing between another's read and rename, a few milliseconds, can still lose one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Notify } from '../report/notices';
import { writeFileAtomic } from './atomic-write';

export const HISTORY_PATH = '.nx/workspace-data/nx-parallel/history.json';
const VERSION = 1;
/** Weight of the newest duration in the estimate. */
const SMOOTHING = 0.5;

interface HistoryFile {
  version: number;
  tasks: Record<string, { ms: number; runs: number }>;
}

/** The tasks of a history file; throws on a file that is not one. A missing file has none. */
function readTasks(path: string): HistoryFile['tasks'] {
  if (!existsSync(path)) return {};
  const file = JSON.parse(readFileSync(path, 'utf8')) as Partial<HistoryFile>;
  if (file.version !== VERSION || typeof file.tasks !== 'object' || file.tasks === null) {
    throw new Error(`unknown format (version ${String(file.version)})`);
  }
  const tasks: HistoryFile['tasks'] = {};
  for (const [id, entry] of Object.entries(file.tasks)) {
    if (Number.isFinite(entry?.ms) && entry.ms >= 0) tasks[id] = { ms: entry.ms, runs: Number(entry.runs) || 1 };
  }
  return tasks;
}

export class History {
  /** The tasks this run recorded, whose entries win over the file's at save. */
  private readonly measured = new Set<string>();

  private constructor(
    private readonly path: string,
    private readonly tasks: HistoryFile['tasks'],
  ) {}

  /** Loads the history of a workspace; `notify` hears why a file that exists was not usable. */
  static load(root: string, notify: Notify): History {
    const path = join(root, HISTORY_PATH);
    try {
      return new History(path, readTasks(path));
    } catch (error) {
      notify({ kind: 'history-unreadable', path: HISTORY_PATH, error: String(error) });
      return new History(path, {});
    }
  }

  /** The estimated duration of a task in milliseconds, if it ran before. */
  estimate(taskId: string): number | undefined {
    return this.tasks[taskId]?.ms;
  }

  record(taskId: string, ms: number): void {
    const previous = this.tasks[taskId];
    this.tasks[taskId] = previous
      ? { ms: previous.ms + SMOOTHING * (ms - previous.ms), runs: previous.runs + 1 }
      : { ms, runs: 1 };
    this.measured.add(taskId);
  }

  /**
   * Writes the history, merged into the file as it is now (another run may have saved since this
   * one loaded it); a workspace that cannot be written to only loses the estimates.
   */
  save(notify: Notify): void {
    let onDisk: HistoryFile['tasks'];
    try {
      onDisk = readTasks(this.path);
    } catch {
      // Said at load, or written since by something else: this save replaces it.
      onDisk = {};
    }
    const tasks = { ...this.tasks, ...onDisk };
    for (const id of this.measured) tasks[id] = this.tasks[id] as HistoryFile['tasks'][string];
    const file: HistoryFile = { version: VERSION, tasks };
    try {
      writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`);
    } catch (error) {
      notify({ kind: 'history-unwritable', path: HISTORY_PATH, error: String(error) });
    }
  }
}
