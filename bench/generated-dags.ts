/**
 * The suite of task graphs for the schedule-quality part: each task has a duration in abstract
 * units, uneven on purpose. Random graphs use fixed seeds, so every run measures the same graphs.
 */
import type { DependencyGraph } from '../src/graph/task-graph';
import { randomInt, seededRandom } from './stats';

export interface TimedGraph extends DependencyGraph {
  name: string;
  durations: ReadonlyMap<string, number>;
}

class GraphBuilder {
  readonly ids: string[] = [];
  readonly dependencies: Record<string, string[]> = {};
  readonly durations = new Map<string, number>();

  add(id: string, duration: number, dependencies: string[] = []): string {
    this.ids.push(id);
    this.dependencies[id] = dependencies;
    this.durations.set(id, duration);
    return id;
  }

  build(name: string): TimedGraph {
    return { name, ids: this.ids, dependencies: this.dependencies, durations: this.durations };
  }
}

/** Durations from 1 to 20 units, most of them short, a few long. */
function unevenDuration(random: () => number): number {
  return Math.max(1, Math.round(20 * random() ** 2.5));
}

/** `count` independent chains of `length` tasks. */
function chains(count: number, length: number, seed: number): TimedGraph {
  const random = seededRandom(seed);
  const graph = new GraphBuilder();
  for (let c = 0; c < count; c++) {
    let previous: string | undefined;
    for (let i = 0; i < length; i++) {
      previous = graph.add(`chain${c}-${i}`, unevenDuration(random), previous ? [previous] : []);
    }
  }
  return graph.build(`chains ${count}x${length}`);
}

/** One root, `width` tasks that depend on it, one sink that depends on them all. */
function wideFan(width: number, seed: number): TimedGraph {
  const random = seededRandom(seed);
  const graph = new GraphBuilder();
  const root = graph.add('root', 2);
  const leaves = Array.from({ length: width }, (_, i) => graph.add(`leaf${i}`, unevenDuration(random), [root]));
  graph.add('sink', 2, leaves);
  return graph.build(`wide fan ${width}`);
}

/** A `size` x `size` grid where each cell depends on the cell above and the cell to its left. */
function diamondLattice(size: number, seed: number): TimedGraph {
  const random = seededRandom(seed);
  const graph = new GraphBuilder();
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const dependencies = [
        ...(row > 0 ? [`cell${row - 1}-${column}`] : []),
        ...(column > 0 ? [`cell${row}-${column - 1}`] : []),
      ];
      graph.add(`cell${row}-${column}`, unevenDuration(random), dependencies);
    }
  }
  return graph.build(`diamond lattice ${size}x${size}`);
}

/** `count` tasks; each depends on 0-3 earlier tasks among the previous `window`. */
function randomDag(count: number, seed: number, window = 25): TimedGraph {
  const random = seededRandom(seed);
  const graph = new GraphBuilder();
  for (let i = 0; i < count; i++) {
    const dependencies = new Set<string>();
    const wanted = i === 0 ? 0 : randomInt(random, 0, 3);
    for (let d = 0; d < wanted; d++) dependencies.add(`task${randomInt(random, Math.max(0, i - window), i - 1)}`);
    graph.add(`task${i}`, unevenDuration(random), [...dependencies]);
  }
  return graph.build(`random ${count} (seed ${seed})`);
}

/**
 * `short` independent short tasks listed first, and a chain of `chain` longer tasks listed last:
 * graph order alone starts the chain late.
 */
function hiddenChain(short: number, chain: number, seed: number): TimedGraph {
  const random = seededRandom(seed);
  const graph = new GraphBuilder();
  for (let i = 0; i < short; i++) graph.add(`short${i}`, randomInt(random, 1, 4));
  let previous: string | undefined;
  for (let i = 0; i < chain; i++)
    previous = graph.add(`long${i}`, randomInt(random, 8, 14), previous ? [previous] : []);
  return graph.build(`hidden chain ${chain} among ${short}`);
}

export function scheduleSuite(): TimedGraph[] {
  return [
    chains(1, 30, 1),
    chains(6, 10, 2),
    wideFan(100, 3),
    diamondLattice(8, 4),
    randomDag(60, 5),
    randomDag(120, 6),
    randomDag(200, 7, 60),
    hiddenChain(150, 12, 8),
  ];
}
