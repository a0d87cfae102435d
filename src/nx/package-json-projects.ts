/**
 * Which package.json files Nx makes projects of, decided as Nx's own package-json plugin decides
 * (nx 22 to 24): those in the package manager's workspaces, and those next to a project.json.
 */
import { readJsonFile } from '@nx/devkit';
import path from 'node:path';
import type * as PackageJsonNodes from 'nx/src/plugins/package-json/create-nodes';
import { loadNxInternal } from './load';

/** A test on a package.json path relative to the workspace root. */
export function createPackageJsonProjectMatcher(workspaceRoot: string): (packageJsonPath: string) => boolean {
  const nx = loadNxInternal<typeof PackageJsonNodes>('nx/src/plugins/package-json/create-nodes');
  const readJson = (file: string): unknown => readJsonFile(path.join(workspaceRoot, file));
  return nx.buildPackageJsonWorkspacesMatcher(nx.buildPackageJsonPatterns(workspaceRoot, readJson));
}
