/** Whether Nx can find an executor (`@nx/js:tsc`, `./tools/x:y`), resolved as `nx run` resolves it. */
import type { ProjectGraph } from '@nx/devkit';
import type * as ExecutorUtils from 'nx/src/command-line/run/executor-utils';
import { loadNxInternal } from './load';

/** undefined when the executor resolves; else the first line of Nx's error. */
export function findExecutorProblem(executor: string, root: string, projectGraph: ProjectGraph): string | undefined {
  const nx = loadNxInternal<typeof ExecutorUtils>('nx/src/command-line/run/executor-utils');
  const [nodeModule, name] = executor.split(':');
  const projects = Object.fromEntries(Object.entries(projectGraph.nodes).map(([key, node]) => [key, node.data]));
  try {
    nx.getExecutorInformation(nodeModule ?? executor, name ?? '', root, projects);
    return undefined;
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).trim().split('\n')[0] ?? 'not found';
  }
}
