/**
 * The coordinator's look at the agents of its run: says who joined, left, stopped answering or
 * refused the run, follows how many tasks they can run at once, and gives the run up when no agent
 * served it for waitForWorkersSeconds.
 */
import { redactUrl } from '../protocol/redact-url';
import type { Notify } from '../../report/notices';
import { refusalNotice } from './agent-watch';
import type { CoordinatorRun } from './coordinator-run';

export interface PresenceHost {
  redisUrl: string;
  waitForWorkersMs: number;
  /** Workers already running join within a second; only a longer wait is worth a word. */
  sayWaitingAfterMs: number;
  notify: Notify;
  /** The live agents' concurrency, summed, changed. */
  slotsChanged(slots: number): void;
  lose(cause: string): void;
}

export class PresenceCheck {
  private slots: number | undefined;
  private noAgentSince: number;
  private saidWaiting = false;

  constructor(
    private readonly host: PresenceHost,
    now: number,
  ) {
    this.noAgentSince = now;
  }

  /** The live agents' concurrency, summed, as last seen; undefined before the first look. */
  get lastSlots(): number | undefined {
    return this.slots;
  }

  async check(connected: CoordinatorRun, now: number): Promise<void> {
    const { host } = this;
    const changes = await connected.watch.look(now);
    const { notify } = host;
    for (const { workerId, concurrency } of changes.joined) notify({ kind: 'agent-joined', workerId, concurrency });
    for (const workerId of changes.left) notify({ kind: 'agent-left', workerId });
    for (const workerId of changes.silent) notify({ kind: 'agent-silent', workerId });
    for (const refusal of changes.refusals) notify(refusalNotice(refusal, connected.fingerprint));
    if (changes.slots !== this.slots) {
      this.slots = changes.slots;
      host.slotsChanged(changes.slots);
    }
    if (changes.live > 0) {
      this.noAgentSince = now;
      this.saidWaiting = false;
      return;
    }
    const seconds = host.waitForWorkersMs / 1000;
    if (!this.saidWaiting && now - this.noAgentSince >= host.sayWaitingAfterMs) {
      this.saidWaiting = true;
      host.notify({
        kind: 'waiting-for-agents',
        giveUpSeconds: seconds,
        commit: connected.fingerprint.commit,
        redisUrl: redactUrl(host.redisUrl),
      });
    }
    if (now - this.noAgentSince >= host.waitForWorkersMs) {
      const refused = connected.watch.refusedAgents();
      host.lose(
        `No nx-parallel agent served this run for ${seconds}s (waitForWorkersSeconds)` +
          (refused.length ? `; refused by ${refused.join(', ')} (see above)` : '') +
          `. Start agents with \`npx nx-parallel worker --redis <url>\` in a checkout of the same commit.`,
      );
    }
  }
}
