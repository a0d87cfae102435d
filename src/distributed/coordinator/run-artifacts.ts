/**
 * The coordinator's side of task outputs: which stored archive holds each task's outputs, storing
 * the outputs that exist only here (restored from Nx's cache) when a worker needs them, and
 * restoring what workers built into this workspace, one task at a time.
 */
import { randomUUID } from 'node:crypto';
import type { TaskGraph } from '@nx/devkit';
import { normaliseEdges, transitiveDependencies } from '../../graph/task-graph';
import { packOutputs, restoreOutputs } from '../artifacts/artifact-archive';
import type { ArtifactRef, ArtifactStore } from '../artifacts/artifact-store';
import { artifactStep } from '../protocol/artifact-failure';
import { artifactKey } from '../protocol/run-names';
import type { DependencyArtifact } from '../protocol/job-protocol';

export class RunArtifacts {
  private readonly stored = new Map<string, Promise<ArtifactRef>>();
  private readonly dependencies: Record<string, string[]>;
  private restoring: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: ArtifactStore,
    private readonly root: string,
    private readonly taskGraph: TaskGraph,
    private readonly runId: string,
  ) {
    this.dependencies = normaliseEdges(taskGraph.dependencies);
  }

  /** Removes every archive of this run known here, at its end. */
  async deleteAll(): Promise<void> {
    const refs = await Promise.allSettled(this.stored.values());
    await this.store.delete(refs.flatMap((ref) => (ref.status === 'fulfilled' ? [ref.value.key] : [])));
  }

  /** The stored outputs of everything the task depends on, directly or not, that declares outputs. */
  async forDependenciesOf(taskId: string): Promise<DependencyArtifact[]> {
    const all = [...transitiveDependencies(this.dependencies, taskId)].filter((id) => this.outputsOf(id).length);
    return Promise.all(all.map(async (id) => ({ taskId: id, ...(await this.storeLocal(id)) })));
  }

  /** Restores the outputs a worker stored for a task into this workspace; restores never overlap. */
  restore(taskId: string, ref: ArtifactRef): Promise<void> {
    const outputs = this.outputsOf(taskId);
    const done = this.restoring.then(async () => {
      const archive = { taskId, key: ref.key };
      const data = await artifactStep(archive, 'download', () => this.store.get(ref.key));
      await artifactStep(archive, 'extract', () =>
        restoreOutputs(this.root, data, { sha256: ref.sha256, outputs, taskId }),
      );
    });
    this.restoring = done.catch(() => undefined);
    const restored = done.then(() => ref);
    restored.catch(() => undefined); // a failed restore fails the task; dependents never ask for it
    this.stored.set(taskId, restored);
    return done;
  }

  /** A task's outputs in the store: as a worker stored them, or stored now from this workspace. */
  private storeLocal(taskId: string): Promise<ArtifactRef> {
    let ref = this.stored.get(taskId);
    if (!ref) {
      ref = (async () => {
        const key = artifactKey(this.runId, taskId, `coordinator-${randomUUID()}`);
        const outputs = this.outputsOf(taskId);
        const packed = await packOutputs(this.root, outputs, (archive) => this.store.put(key, archive));
        return { key, sha256: packed.sha256, bytes: packed.bytes };
      })();
      this.stored.set(taskId, ref);
    }
    return ref;
  }

  private outputsOf(taskId: string): string[] {
    return this.taskGraph.tasks[taskId]?.outputs ?? [];
  }
}
