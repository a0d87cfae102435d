/** Nx's own project matching (names, globs, `tag:x`, `!negation`), as `nx run-many -p` uses it. */
import type { ProjectGraphProjectNode } from '@nx/devkit';
import type * as FindMatchingProjects from 'nx/src/utils/find-matching-projects';
import { loadNxInternal } from './load';

export function findMatchingProjects(patterns: string[], nodes: Record<string, ProjectGraphProjectNode>): string[] {
  const nx = loadNxInternal<typeof FindMatchingProjects>('nx/src/utils/find-matching-projects');
  return nx.findMatchingProjects(patterns, nodes);
}
