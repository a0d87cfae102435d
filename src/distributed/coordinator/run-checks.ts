/**
 * The coordinator's periodic checks, every `checkMs`: that Redis is reachable and answers, that the
 * run's announcement is refreshed, then the agents (presence-check), the deadlines (deadline-check)
 * and the jobs whose event was lost (job-state-check). A run that can go no further is lost.
 */
import type { Notify } from '../../report/notices';
import type { TaskFailure } from '../../report/task-failure';
import { redactUrl } from '../protocol/redact-url';
import { refreshRun } from '../protocol/run-registry';
import type { CoordinatorRun } from './coordinator-run';
import type { CoordinatorTiming } from './coordinator-timing';
import { enforceDeadlines } from './deadline-check';
import { JobStateCheck } from './job-state-check';
import type { PendingJob } from './pending-job';
import { PresenceCheck } from './presence-check';

const AFTER_LOSS = 'the run stopped. Check that Redis is up and reachable, then run again.';

export interface CheckedRun {
  connected: CoordinatorRun;
  timing: CoordinatorTiming;
  redisUrl: string;
  waitForWorkersMs: number;
  taskTimeoutMs: number;
  deadlineMarginMs: number;
  pending: ReadonlyMap<string, PendingJob>;
  settle(jobId: string, value: unknown): void;
  fail(jobId: string, failure: TaskFailure): void;
  notify: Notify;
  slotsChanged(slots: number): void;
  /** The run can go no further; called once at most, after which no check runs. */
  lose(cause: string): void;
}

export class RunChecks {
  private readonly timer: NodeJS.Timeout;
  private readonly presence: PresenceCheck;
  private readonly jobStates: JobStateCheck;
  /** When the check now waiting on Redis started. */
  private checkingSince: number | undefined;
  private disconnectedAt: number | undefined;
  private lastRefresh: number;
  private stopped = false;

  constructor(private readonly run: CheckedRun) {
    const now = Date.now();
    this.lastRefresh = now;
    this.presence = new PresenceCheck({ ...run, sayWaitingAfterMs: run.timing.sayWaitingAfterMs }, now);
    this.jobStates = new JobStateCheck(run, run.timing.jobCheckMs);
    this.timer = setInterval(() => void this.check(), run.timing.checkMs);
  }

  /** The live agents' concurrency, summed, as last seen. */
  get slots(): number | undefined {
    return this.presence.lastSlots;
  }

  /** Whether the connection to Redis is down now. */
  get disconnected(): boolean {
    return this.disconnectedAt !== undefined;
  }

  /** The connection to Redis closed (true) or is ready again (false). */
  connection(down: boolean): void {
    this.disconnectedAt = down ? (this.disconnectedAt ?? Date.now()) : undefined;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private lose(cause: string): void {
    this.stop();
    this.run.lose(cause);
  }

  private async check(): Promise<void> {
    if (this.stopped) return;
    const { connected, timing } = this.run;
    const now = Date.now();
    // Judged before anything waits on Redis: a check stuck on a dead or frozen Redis must not
    // hide that it is gone.
    const url = redactUrl(this.run.redisUrl);
    if (this.disconnectedAt !== undefined && now - this.disconnectedAt >= timing.redisLostMs) {
      this.lose(`Lost the connection to Redis at ${url} for ${timing.redisLostMs / 1000}s; ${AFTER_LOSS}`);
      return;
    }
    if (this.checkingSince !== undefined && now - this.checkingSince >= timing.redisSilentMs) {
      this.lose(`Redis at ${url} has not answered for ${timing.redisSilentMs / 1000}s; ${AFTER_LOSS}`);
      return;
    }
    if (this.checkingSince !== undefined || this.disconnectedAt !== undefined) return;
    this.checkingSince = now;
    try {
      if (now - this.lastRefresh >= timing.refreshMs) {
        if (!(await refreshRun(connected.redis, connected.runId, timing.runTtlMs))) {
          this.lose(
            `The run's announcement in Redis expired: it was not refreshed for ${timing.runTtlMs / 1000}s ` +
              `(this process was busy or cut off from Redis), and the agents left the run. Run again.`,
          );
          return;
        }
        this.lastRefresh = now;
      }
      await this.presence.check(connected, now);
      if (this.stopped) return;
      await enforceDeadlines(connected, { ...this.run, marginMs: this.run.deadlineMarginMs }, now);
      await this.jobStates.check(connected, now);
    } catch {
      // Redis went away mid-check: the 'close' event starts the clock above.
    } finally {
      this.checkingSince = undefined;
    }
  }
}
