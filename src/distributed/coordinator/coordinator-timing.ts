/**
 * The coordinator's intervals and deadlines, as one options object with defaults, so tests run them
 * fast instead of waiting on real 10 s timers.
 */
export interface CoordinatorTiming {
  /** How often the coordinator looks at its workers and its jobs in flight. */
  checkMs: number;
  /** How often the run's announcement is refreshed, well within `runTtlMs`. */
  refreshMs: number;
  /** A run stays announced this long after the coordinator's last refresh. */
  runTtlMs: number;
  /** How often jobs in flight are looked at, in case their queue event was lost. */
  jobCheckMs: number;
  /** A connection to Redis that stays lost this long fails the run. */
  redisLostMs: number;
  /** A Redis that keeps its connection but answers nothing (frozen, partitioned) fails the run after this. */
  redisSilentMs: number;
  /** A worker whose presence has not changed for this long is taken for gone. */
  presenceTimeoutMs: number;
  /** Workers already running join within a second; only a longer wait is worth a word. */
  sayWaitingAfterMs: number;
  /** Clean-up at the end never takes longer than this, even with Redis gone. */
  closeDeadlineMs: number;
  /** With a taskTimeout, how much longer than it an agent may hold a job (see DistributedPoolOptions). */
  deadlineMarginMs: number;
}

export const COORDINATOR_TIMING: Readonly<CoordinatorTiming> = {
  checkMs: 1000,
  refreshMs: 5000,
  runTtlMs: 30_000,
  jobCheckMs: 5000,
  redisLostMs: 5000,
  redisSilentMs: 10_000,
  presenceTimeoutMs: 6000,
  sayWaitingAfterMs: 2000,
  closeDeadlineMs: 3000,
  deadlineMarginMs: 10_000,
};
