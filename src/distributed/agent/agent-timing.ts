/**
 * The agent's intervals and deadlines, as one options object with defaults, so tests run them fast
 * instead of waiting on real timers.
 */
export interface AgentTiming {
  /** How often a waiting agent looks for runs, and tries Redis again when it does not answer. */
  pollMs: number;
  /** How often a waiting agent looks for runs whose coordinator died. */
  sweepMs: number;
  /** How often a serving agent renews its presence and looks whether its run is still open. */
  heartbeatMs: number;
  /** The agent's presence in a run, and its refusal of one, expire this long after its last write. */
  presenceTtlMs: number;
  /** Warm worker processes that served no run for this long are ended. */
  keepWarmMs: number;
  /** Handing its jobs back when the agent stops never takes longer than this, even without Redis. */
  closeDeadlineMs: number;
  /** Saying goodbye to Redis never takes longer than this. */
  quitDeadlineMs: number;
}

export const AGENT_TIMING: Readonly<AgentTiming> = {
  pollMs: 500,
  sweepMs: 30_000,
  heartbeatMs: 1000,
  presenceTtlMs: 30_000,
  keepWarmMs: 300_000,
  closeDeadlineMs: 5000,
  quitDeadlineMs: 2000,
};

/**
 * The timing in the internal env variable NX_PARALLEL_AGENT_TIMING (JSON: milliseconds by name),
 * which the tests set; not a stable interface.
 */
export function parseAgentTiming(text: string | undefined, variable: string): Partial<AgentTiming> {
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${variable} must be a JSON object of milliseconds, not '${text}'.`);
  }
  for (const [name, value] of Object.entries(parsed)) {
    if (!(name in AGENT_TIMING)) {
      throw new Error(`${variable} names '${name}', which is not one of: ${Object.keys(AGENT_TIMING).join(', ')}.`);
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new Error(
        `${variable}: '${name}' takes an integer number of milliseconds >= 1, not ${JSON.stringify(value)}.`,
      );
    }
  }
  return parsed;
}
