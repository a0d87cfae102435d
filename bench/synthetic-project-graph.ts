/**
 * A synthetic Nx project graph of `projects` projects, each with a `build` target that depends on
 * `^build` and on 1-3 earlier projects (a fixed seed, so every run plans the same graph).
 */
import type { ProjectGraph, ProjectGraphDependency } from '@nx/devkit';
import { randomInt, seededRandom } from './stats';

export function createSyntheticProjectGraph(projects: number, seed = 42): ProjectGraph {
  const random = seededRandom(seed);
  const graph: ProjectGraph = { nodes: {}, dependencies: {} };
  for (let i = 0; i < projects; i++) {
    const name = `p${i}`;
    const root = `libs/${name}`;
    graph.nodes[name] = {
      name,
      type: 'lib',
      data: { root, targets: { build: { executor: 'nx:noop', dependsOn: ['^build'], options: {} } } },
    };
    const targets = new Set<string>();
    const wanted = i === 0 ? 0 : randomInt(random, 1, 3);
    // Mostly near neighbours with some long edges, so the graph has both depth and breadth.
    for (let d = 0; d < wanted; d++) {
      const far = random() < 0.2;
      targets.add(`p${far ? randomInt(random, 0, i - 1) : randomInt(random, Math.max(0, i - 50), i - 1)}`);
    }
    graph.dependencies[name] = [...targets].map((target): ProjectGraphDependency => ({
      source: name,
      target,
      type: 'static',
    }));
  }
  return graph;
}
