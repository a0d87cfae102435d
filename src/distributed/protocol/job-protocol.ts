/**
 * What travels through Redis between the coordinator and the workers. A job carries ids, hashes,
 * the workspace fingerprint and artifact keys, never a command: a worker works out what to run from
 * its own checkout's project graph.
 */
import type { RefusedCheck } from '../../report/task-failure';
import type { TaskOutcome } from '../../worker/protocol';
import type { ArtifactRef } from '../artifacts/artifact-store';
import type { WorkspaceFingerprint } from './fingerprint';

/**
 * The version of what travels: every announcement, job, result, presence and refusal carries it,
 * and one of another version is skipped (named in a warning), never read. Raise it with any change
 * of these shapes.
 */
export const PROTOCOL_VERSION = 2;

/** What decides the task graph of a run; a worker builds the same graph from its own checkout. */
export interface RunSelection {
  targets: string[];
  projects: string[];
  excludeProjects: string[];
  configuration?: string;
  onlySelected: boolean;
}

/** A run, as the coordinator announces it to every worker. */
export interface RunAnnouncement {
  protocol: typeof PROTOCOL_VERSION;
  runId: string;
  /** The BullMQ queue of this run's jobs. */
  queue: string;
  /** `host:pid` of the coordinator, for messages. */
  coordinator: string;
  fingerprint: WorkspaceFingerprint;
  selection: RunSelection;
  /** sha256 of the run's sorted task ids: a worker whose graph differs refuses the run. */
  graphHash: string;
  /** `redis` or `s3://bucket/prefix`. */
  artifactStore: string;
  /** How long a worker's hold on a job lasts without renewal. */
  lockMs: number;
  taskTimeoutMs: number;
  maxTasksPerWorker?: number;
  createdAt: number;
  /** Whether the coordinator has a shared secret: then this, its jobs and their results are signed. */
  signed: boolean;
  /** HMAC-SHA256 of the rest, for `run:<runId>`, with the shared secret. */
  signature?: string;
}

export interface DependencyArtifact extends ArtifactRef {
  taskId: string;
}

export interface JobData {
  protocol: typeof PROTOCOL_VERSION;
  runId: string;
  seq: number;
  taskId: string;
  /** Nx's hash of the task, when the coordinator's cache is on. */
  hash?: string;
  fingerprint: WorkspaceFingerprint;
  /** The outputs of the task's dependencies, transitively, as stored. */
  dependencies: DependencyArtifact[];
  /** HMAC-SHA256 of the rest, for `job:<queue>:<jobId>`, when the run is signed. */
  signature?: string;
}

export interface JobResult {
  protocol: typeof PROTOCOL_VERSION;
  outcome: TaskOutcome;
  /** The whole output (up to a cap); the part sent live before is not shown again. */
  output: string;
  /** The attempt's BullMQ lock token: tells its live output from an earlier attempt's. */
  attempt?: string;
  workerId: string;
  /** Milliseconds the agent spent on the job, from when it took it: the task's run, without its wait in the queue. */
  ranMs?: number;
  /** The task's outputs, stored after it succeeded. */
  artifact?: ArtifactRef;
  /** HMAC-SHA256 of the rest, for `result:<queue>:<jobId>`, when the run is signed. */
  signature?: string;
}

/** A worker serving a run; refreshed while it serves. */
export interface AgentPresence {
  protocol: typeof PROTOCOL_VERSION;
  workerId: string;
  concurrency: number;
  lastSeen: number;
}

/** A worker that would not serve a run, and why. */
export interface Refusal {
  protocol: typeof PROTOCOL_VERSION;
  workerId: string;
  fingerprint: WorkspaceFingerprint;
  reason: string;
}

/** A job an agent would not run, as the text of its failure (see job-refusal.ts). */
export interface JobRefusal {
  protocol: typeof PROTOCOL_VERSION;
  agent: string;
  /** The job's Redis key. */
  key: string;
  refusal: RefusedCheck;
}
