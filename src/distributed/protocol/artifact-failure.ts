/**
 * The steps of moving a task's outputs between machines, each failure tagged with its step, so a
 * task that fails for its archive says which archive and where it broke.
 */
import { ArchiveRefusedError } from '../../errors';
import type { ArtifactStep, TaskFailure } from '../../report/task-failure';

export class ArtifactStepError extends Error {
  constructor(
    readonly taskId: string,
    readonly key: string,
    readonly step: ArtifactStep,
    readonly problem: string,
  ) {
    super(`${step} of ${key} (${taskId}): ${problem}`);
    this.name = 'ArtifactStepError';
  }
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Runs one step; its failure is an ArtifactStepError. */
export async function artifactStep<T>(
  archive: { taskId: string; key: string },
  step: ArtifactStep,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ArtifactStepError) throw error;
    // An archive that fails a check is refused before anything is written: verified, not extracted.
    const actual = step === 'extract' && error instanceof ArchiveRefusedError ? 'verify' : step;
    throw new ArtifactStepError(archive.taskId, archive.key, actual, errorText(error));
  }
}

/** The failure of a task whose archive failed here: its step's data, or the error as the cause. */
export function artifactFailure(
  error: unknown,
  where: { side: 'agent' | 'coordinator'; agent: string; taskId: string; key: string; step: ArtifactStep },
): Extract<TaskFailure, { reason: 'artifact-failed' }> {
  const step =
    error instanceof ArtifactStepError
      ? { taskId: error.taskId, key: error.key, step: error.step, cause: error.problem }
      : {};
  return { reason: 'artifact-failed', ...where, cause: errorText(error), ...step };
}
