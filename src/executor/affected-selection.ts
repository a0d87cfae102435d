/** The projects an `affected` run is limited to, computed once before the graph is built. */
import type { ExecutorContext } from '@nx/devkit';
import { AffectedError } from '../errors';
import { findAffectedProjects } from '../nx/affected-projects';
import type { Notify } from '../report/notices';
import type { NormalizedOptions } from './normalize-options';

const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).trim().split('\n')[0] ?? '';

/** undefined when the run is not an affected run. */
export async function resolveAffectedProjects(
  options: NormalizedOptions,
  context: ExecutorContext,
  notify: Notify,
): Promise<string[] | undefined> {
  if (!options.affected) return undefined;
  const { base, head } = options.affected;
  let found;
  try {
    found = await findAffectedProjects({
      projectGraph: context.projectGraph,
      nxJson: context.nxJsonConfiguration ?? {},
      base,
      head,
    });
  } catch (error) {
    throw new AffectedError(base, head, firstLine(error));
  }
  const projects = [...found.projects].sort();
  notify({ kind: 'affected-projects', projects, base: found.base, head: found.head });
  return projects;
}
