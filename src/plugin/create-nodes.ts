/**
 * The inferred-targets plugin (`"plugins": ["nx-parallel/plugin"]` in nx.json, added by
 * `nx g nx-parallel:init`): gives every project a `parallel` target, so that
 * `nx run <project>:parallel` works with no edit. A target the project declares itself wins.
 */
import type { CreateNodesV2, TargetConfiguration } from '@nx/devkit';
import path from 'node:path';
import { PARALLEL_EXECUTOR } from '../graph/task-graph';
import { createPackageJsonProjectMatcher } from '../nx/package-json-projects';

export interface ParallelPluginOptions {
  /** The name of the inferred target; default `parallel`. */
  targetName?: string;
}

export const name = 'nx-parallel';

// As Nx's own package-json plugin: a root file is matched by its bare name, not by `**/`.
const CONFIG_FILES = '{package.json,**/package.json,project.json,**/project.json}';

export const inferredTarget = (): TargetConfiguration => ({
  executor: PARALLEL_EXECUTOR,
  cache: false,
  options: { targets: ['build'] },
});

/** The project roots among the files: every project.json, and each package.json Nx makes a project of. */
export function projectRoots(files: readonly string[], isPackageJsonProject: (file: string) => boolean): string[] {
  const projectJsonRoots = new Set(
    files.filter((file) => path.basename(file) === 'project.json').map((file) => path.dirname(file)),
  );
  const roots = new Set(projectJsonRoots);
  for (const file of files) {
    if (path.basename(file) !== 'package.json') continue;
    const root = path.dirname(file);
    if (projectJsonRoots.has(root) || isPackageJsonProject(file)) roots.add(root);
  }
  return [...roots];
}

export const createNodesV2: CreateNodesV2<ParallelPluginOptions> = [
  CONFIG_FILES,
  (files, options, context) => {
    const targetName = options?.targetName ?? 'parallel';
    const isPackageJsonProject = createPackageJsonProjectMatcher(context.workspaceRoot);
    const roots = new Set(projectRoots(files, isPackageJsonProject));
    // One result per root, on its first config file.
    return files.flatMap((file) => {
      const root = path.dirname(file);
      if (!roots.delete(root)) return [];
      return [[file, { projects: { [root]: { targets: { [targetName]: inferredTarget() } } } }]] as const;
    });
  },
];

/** nx 23 and 24 read `createNodes`, nx 22 `createNodesV2`: the same v2 function. */
export const createNodes = createNodesV2;
