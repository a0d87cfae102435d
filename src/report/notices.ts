/**
 * What a run tells the user beside the tasks' output: warnings and notices, as data. The layers that
 * notice something emit these; only report/format-notice.ts turns them into text, and a reporter
 * prints them above the live area.
 */
export type Notice =
  /** The selection has no task. */
  | { kind: 'no-tasks'; projects: readonly string[]; targets: readonly string[]; affected: boolean }
  | { kind: 'affected-projects'; projects: readonly string[]; base: string; head: string | undefined }
  /** Another run of the workspace holds some of this run's tasks; this one waits for it. */
  | { kind: 'waiting-for-run'; owner: string; pid: number; shared: readonly string[] }
  | { kind: 'history-unreadable'; path: string; error: string }
  | { kind: 'history-unwritable'; path: string; error: string }
  /** Nx's cache could not be opened: the run goes on without it. */
  | { kind: 'cache-unavailable'; error: string }
  /** Nx's cache failed once during the run: the tasks run without it from then on. */
  | { kind: 'cache-failed'; operation: 'look up' | 'store'; taskId: string; error: string }
  /** Dry run: a task could not be looked up in Nx's cache; the plan shows it as a miss. */
  | { kind: 'cache-lookup-failed'; taskId: string; error: string }
  /** Task outputs that could not be written to temporary files were kept in memory (`droppedChars` past the limit lost). */
  | {
      kind: 'output-kept-in-memory';
      taskIds: readonly string[];
      directory: string;
      error: string;
      droppedChars: number;
    }
  /** Output of a worker that no running task owns, with the pool's own header. */
  | { kind: 'stray-output'; text: string }
  /** Distributed: a value under the run's Redis keys that is not of this protocol was skipped. */
  | { kind: 'value-skipped'; key: string; problem: string }
  /** Distributed: a job's result that is not of this protocol, or not signed, was skipped (its task fails). */
  | { kind: 'result-skipped'; key: string; problem: string }
  | { kind: 'agent-joined'; workerId: string; concurrency: number }
  | { kind: 'agent-left'; workerId: string }
  | { kind: 'agent-silent'; workerId: string }
  /** `fingerprints` when the checkouts differ: both, formatted. */
  | {
      kind: 'agent-refused';
      workerId: string;
      reason: string;
      fingerprints?: { coordinator: string; agent: string };
    }
  | { kind: 'waiting-for-agents'; giveUpSeconds: number; commit: string; redisUrl: string };

/** Hands a notice to the run's reporters. */
export type Notify = (notice: Notice) => void;
