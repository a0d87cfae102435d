/**
 * Checks what arrives through Redis before anything reads it: announcements, jobs, results,
 * presence and refusals must be JSON of this protocol version and of the expected shape. Redis is
 * shared: another nx-parallel version, another tool or a mistake can leave anything under our keys,
 * and one bad value must not stop an agent or a coordinator, only be skipped and named.
 */
import {
  PROTOCOL_VERSION,
  type JobData,
  type JobResult,
  type Refusal,
  type RunAnnouncement,
  type AgentPresence,
  type JobRefusal,
} from './job-protocol';

/** A value as it arrived: its checked form, or what is wrong with it. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

type Shape = Record<string, (value: unknown) => boolean>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): boolean => typeof value === 'string';
const isNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);
const isBoolean = (value: unknown): boolean => typeof value === 'boolean';
const optional =
  (check: (value: unknown) => boolean) =>
  (value: unknown): boolean =>
    value === undefined || check(value);
const arrayOf =
  (check: (value: unknown) => boolean) =>
  (value: unknown): boolean =>
    Array.isArray(value) && value.every(check);
const shaped =
  (shape: Shape) =>
  (value: unknown): boolean =>
    isRecord(value) && Object.entries(shape).every(([key, check]) => check(value[key]));

const FINGERPRINT: Shape = {
  commit: isString,
  changes: isString,
  submodules: isString,
  lockFile: isString,
  nx: isString,
  nxParallel: isString,
};
const ARTIFACT: Shape = { key: isString, sha256: isString, bytes: isNumber };
const isOneOf =
  (...values: string[]) =>
  (value: unknown): boolean =>
    typeof value === 'string' && values.includes(value);
/** The failures an agent may report; the coordinator finds the others itself. */
const AGENT_FAILURES: Record<string, Shape> = {
  ...Object.fromEntries(
    ['executor-failed', 'threw', 'worker-crashed', 'timed-out', 'interrupted'].map((reason) => [
      reason,
      { message: optional(isString) },
    ]),
  ),
  'artifact-failed': {
    side: isOneOf('agent', 'coordinator'),
    agent: isString,
    taskId: isString,
    key: isString,
    step: isOneOf('upload', 'download', 'verify', 'extract'),
    cause: isString,
  },
};
const OUTCOME = (value: unknown): boolean => {
  if (!isRecord(value)) return false;
  if (value.status === 'succeeded') return true;
  const failure = typeof value.reason === 'string' ? AGENT_FAILURES[value.reason] : undefined;
  return value.status === 'failed' && failure !== undefined && shaped(failure)(value);
};
const REFUSED_CHECKS: Record<string, Shape> = {
  fingerprint: { differences: arrayOf(shaped({ field: isString, run: isString, job: isString })) },
  run: { expected: isString, found: isString },
  task: {},
  dependencies: { stranger: isString },
  signature: { problem: isOneOf('unsigned', 'wrongly signed') },
  protocol: { problem: isString },
};
const REFUSED_CHECK = (value: unknown): boolean => {
  const shape = isRecord(value) && typeof value.check === 'string' ? REFUSED_CHECKS[value.check] : undefined;
  return shape !== undefined && shaped(shape)(value);
};

const ANNOUNCEMENT: Shape = {
  runId: isString,
  queue: isString,
  coordinator: isString,
  fingerprint: shaped(FINGERPRINT),
  selection: shaped({
    targets: arrayOf(isString),
    projects: arrayOf(isString),
    excludeProjects: arrayOf(isString),
    configuration: optional(isString),
    onlySelected: isBoolean,
  }),
  graphHash: isString,
  artifactStore: isString,
  lockMs: isNumber,
  taskTimeoutMs: isNumber,
  maxTasksPerWorker: optional(isNumber),
  createdAt: isNumber,
  signed: isBoolean,
  signature: optional(isString),
};
const JOB: Shape = {
  runId: isString,
  seq: isNumber,
  taskId: isString,
  hash: optional(isString),
  fingerprint: shaped(FINGERPRINT),
  dependencies: arrayOf(shaped({ ...ARTIFACT, taskId: isString })),
  signature: optional(isString),
};
const RESULT: Shape = {
  outcome: OUTCOME,
  output: isString,
  attempt: optional(isString),
  workerId: isString,
  ranMs: optional(isNumber),
  artifact: optional(shaped(ARTIFACT)),
  signature: optional(isString),
};
const PRESENCE: Shape = { workerId: isString, concurrency: isNumber, lastSeen: isNumber };
const REFUSAL: Shape = { workerId: isString, fingerprint: shaped(FINGERPRINT), reason: isString };
const JOB_REFUSAL: Shape = { agent: isString, key: isString, refusal: REFUSED_CHECK };

function check<T>(value: unknown, shape: Shape, what: string): Checked<T> {
  if (!isRecord(value)) return { ok: false, problem: `${what} is not a JSON object` };
  if (value.protocol !== PROTOCOL_VERSION) {
    const theirs = value.protocol === undefined ? 'no protocol version' : `protocol ${JSON.stringify(value.protocol)}`;
    return {
      ok: false,
      problem: `${what} has ${theirs}, this nx-parallel speaks protocol ${PROTOCOL_VERSION} (another nx-parallel version or another tool wrote it)`,
    };
  }
  const wrong = Object.keys(shape).filter((key) => !shape[key]?.(value[key]));
  if (wrong.length) return { ok: false, problem: `${what} has no valid ${wrong.join(', ')}` };
  return { ok: true, value: value as T };
}

/** A value read as a string from Redis: JSON first. */
function parse<T>(raw: string, shape: Shape, what: string): Checked<T> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, problem: `${what} is not JSON` };
  }
  return check<T>(value, shape, what);
}

export const parseAnnouncement = (raw: string): Checked<RunAnnouncement> =>
  parse(raw, ANNOUNCEMENT, 'the announcement');
export const parsePresence = (raw: string): Checked<AgentPresence> => parse(raw, PRESENCE, 'the presence');
export const parseRefusal = (raw: string): Checked<Refusal> => parse(raw, REFUSAL, 'the refusal');
/** BullMQ gives jobs and results already parsed. */
export const checkJobData = (value: unknown): Checked<JobData> => check(value, JOB, 'the job');
export const checkJobResult = (value: unknown): Checked<JobResult> => check(value, RESULT, 'the result');
/** A job's failedReason, once parsed: an agent's refusal of it, or not. */
export const checkJobRefusal = (value: unknown): Checked<JobRefusal> => check(value, JOB_REFUSAL, 'the refusal');
