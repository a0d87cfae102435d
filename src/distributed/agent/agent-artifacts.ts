/**
 * A worker's side of task outputs: restores the outputs of a task's dependencies that this worker
 * did not build (or restore) itself, one archive at a time, and stores the outputs of the tasks it
 * ran.
 */
import type { TaskGraph } from '@nx/devkit';
import { packOutputs, restoreOutputs } from '../artifacts/artifact-archive';
import type { ArtifactRef, ArtifactStore } from '../artifacts/artifact-store';
import { artifactStep } from '../protocol/artifact-failure';
import type { DependencyArtifact } from '../protocol/job-protocol';

export class AgentArtifacts {
  /** taskId -> sha256 of the outputs this workspace holds now. */
  private readonly present = new Map<string, string>();
  private readonly restores = new Map<string, Promise<void>>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: ArtifactStore,
    private readonly root: string,
    private readonly taskGraph: TaskGraph,
  ) {}

  async restoreDependencies(dependencies: readonly DependencyArtifact[]): Promise<void> {
    await Promise.all(dependencies.map((dependency) => this.restore(dependency)));
  }

  /** Undefined for a task that declares no outputs: there is nothing to store, nor to restore anywhere. */
  async storeOutputs(taskId: string, key: string): Promise<ArtifactRef | undefined> {
    const outputs = this.outputsOf(taskId);
    if (outputs.length === 0) return undefined;
    const packed = await artifactStep({ taskId, key }, 'upload', () =>
      packOutputs(this.root, outputs, (archive) => this.store.put(key, archive)),
    );
    this.present.set(taskId, packed.sha256);
    return { key, sha256: packed.sha256, bytes: packed.bytes };
  }

  private restore({ taskId, key, sha256 }: DependencyArtifact): Promise<void> {
    if (this.present.get(taskId) === sha256) return Promise.resolve();
    const id = `${taskId}@${sha256}`;
    let restoring = this.restores.get(id);
    if (!restoring) {
      restoring = this.chain.then(async () => {
        const archive = { taskId, key };
        const data = await artifactStep(archive, 'download', () => this.store.get(key));
        await artifactStep(archive, 'extract', () =>
          restoreOutputs(this.root, data, { sha256, outputs: this.outputsOf(taskId), taskId }),
        );
        this.present.set(taskId, sha256);
      });
      restoring.catch(() => this.restores.delete(id));
      this.chain = restoring.catch(() => undefined);
      this.restores.set(id, restoring);
    }
    return restoring;
  }

  /** The outputs as this checkout declares them: never what a job claims. */
  private outputsOf(taskId: string): string[] {
    return this.taskGraph.tasks[taskId]?.outputs ?? [];
  }
}
