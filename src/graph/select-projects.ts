/**
 * Project selection as `nx run-many` makes it (names, globs, `tag:x`, `*`), with one deliberate
 * difference: a pattern that matches no project is an error that names it, to catch typos.
 */
import type { ProjectGraphProjectNode } from '@nx/devkit';
import { UnknownProjectError, UnknownTargetError } from '../errors';
import { findMatchingProjects } from '../nx/project-matching';
import { findNearestNames } from './nearest-names';

type Nodes = Record<string, ProjectGraphProjectNode>;

function checkPatterns(patterns: readonly string[], nodes: Nodes, option: string): void {
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) continue;
    if (findMatchingProjects([pattern], nodes).length === 0) {
      const candidates = pattern.startsWith('tag:')
        ? Object.values(nodes).flatMap((node) => (node.data.tags ?? []).map((tag) => `tag:${tag}`))
        : Object.keys(nodes);
      throw new UnknownProjectError(pattern, option, findNearestNames(pattern, candidates));
    }
  }
}

function hasTarget(node: ProjectGraphProjectNode, targets: readonly string[]): boolean {
  return targets.some((target) => node.data.targets?.[target] !== undefined);
}

export interface ProjectSelection {
  projects: readonly string[];
  excludeProjects: readonly string[];
  targets: readonly string[];
  /** Set in an affected run: only these projects may be selected. */
  affectedProjects?: readonly string[];
}

/** The names of the selected projects that have at least one of the targets. */
export function selectProjects(nodes: Nodes, selection: ProjectSelection): string[] {
  checkPatterns(selection.projects, nodes, 'projects');
  checkPatterns(selection.excludeProjects, nodes, 'excludeProjects');
  const allTargets = new Set(Object.values(nodes).flatMap((node) => Object.keys(node.data.targets ?? {})));
  for (const target of selection.targets) {
    if (!allTargets.has(target)) throw new UnknownTargetError(target, findNearestNames(target, allTargets));
  }
  const excluded = new Set(findMatchingProjects([...selection.excludeProjects], nodes));
  const affected = selection.affectedProjects && new Set(selection.affectedProjects);
  return findMatchingProjects([...selection.projects], nodes).filter(
    (name) =>
      !excluded.has(name) &&
      (!affected || affected.has(name)) &&
      hasTarget(nodes[name] as ProjectGraphProjectNode, selection.targets),
  );
}
