/**
 * The coordinator's view of the workers of its run: which are alive (their presence still
 * refreshed, judged by the coordinator's own clock so that the machines' clocks need not agree),
 * which joined or left since the last look, and which refused the run.
 */
import type Redis from 'ioredis';
import { fingerprintDifferences, formatFingerprint, type WorkspaceFingerprint } from '../protocol/fingerprint';
import type { Refusal } from '../protocol/job-protocol';
import { readPresence, readRefusals, type Malformed } from '../protocol/run-registry';
import type { Notice, Notify } from '../../report/notices';

import { COORDINATOR_TIMING } from './coordinator-timing';

export interface AgentChanges {
  live: number;
  /** The live workers' concurrency, summed: how many tasks can run at once. */
  slots: number;
  joined: { workerId: string; concurrency: number }[];
  /** Workers that said they leave. */
  left: string[];
  /** Workers whose presence went stale: dead, stopped or cut off. */
  silent: string[];
  refusals: Refusal[];
}

export class AgentWatch {
  private readonly seen = new Map<
    string,
    { lastSeen: number; changedAt: number; live: boolean; concurrency: number }
  >();
  private readonly refused = new Set<string>();

  private readonly named = new Set<string>();
  private readonly onMalformed = ({ key, problem }: Malformed): void => {
    if (this.named.has(key)) return;
    this.named.add(key);
    this.notify({ kind: 'value-skipped', key, problem });
  };

  constructor(
    private readonly redis: Redis,
    private readonly runId: string,
    /** Hears that a value under the run's keys was skipped, once per key. */
    private readonly notify: Notify = () => undefined,
    /** A worker whose presence has not changed for this long is taken for gone. */
    private readonly presenceTimeoutMs = COORDINATOR_TIMING.presenceTimeoutMs,
  ) {}

  async look(now = Date.now()): Promise<AgentChanges> {
    const [presence, refusals] = await Promise.all([
      readPresence(this.redis, this.runId, this.onMalformed),
      readRefusals(this.redis, this.runId, this.onMalformed),
    ]);
    const changes: AgentChanges = { live: 0, slots: 0, joined: [], left: [], silent: [], refusals: [] };
    for (const { workerId, lastSeen, concurrency } of presence) {
      const known = this.seen.get(workerId);
      if (!known) changes.joined.push({ workerId, concurrency });
      if (!known || known.lastSeen !== lastSeen) {
        this.seen.set(workerId, { lastSeen, changedAt: now, live: true, concurrency });
      }
    }
    const present = new Set(presence.map((worker) => worker.workerId));
    for (const [workerId, state] of this.seen) {
      const alive = present.has(workerId) && now - state.changedAt < this.presenceTimeoutMs;
      if (state.live && !alive) (present.has(workerId) ? changes.silent : changes.left).push(workerId);
      state.live = alive;
      if (alive) {
        changes.live++;
        changes.slots += state.concurrency;
      }
    }
    for (const refusal of refusals) {
      if (!this.refused.has(refusal.workerId)) changes.refusals.push(refusal);
      this.refused.add(refusal.workerId);
    }
    return changes;
  }

  /** Every refusal seen so far, for the message when no worker came. */
  refusedAgents(): string[] {
    return [...this.refused];
  }
}

/** Why a worker refused the run; when the checkouts differ, both fingerprints. */
export function refusalNotice(refusal: Refusal, ours: WorkspaceFingerprint): Notice {
  const notice: Notice = { kind: 'agent-refused', workerId: refusal.workerId, reason: refusal.reason };
  const names = { ours: 'coordinator', theirs: refusal.workerId };
  if (!fingerprintDifferences(ours, refusal.fingerprint, names).length) return notice;
  return {
    ...notice,
    fingerprints: { coordinator: formatFingerprint(ours), agent: formatFingerprint(refusal.fingerprint) },
  };
}
