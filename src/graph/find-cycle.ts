/** Cycle detection on a dependency table (task id -> ids it depends on). */

/** Returns one cycle as a path that starts and ends at the same id, or undefined if there is none. */
export function findCycle(dependencies: Readonly<Record<string, readonly string[]>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  for (const root of Object.keys(dependencies)) {
    if (state.has(root)) continue;
    // Iterative depth-first search: graphs of thousands of tasks must not overflow the stack.
    const path: string[] = [root];
    const cursors: number[] = [0];
    state.set(root, 'visiting');
    while (path.length) {
      const node = path[path.length - 1] as string;
      const next = (dependencies[node] ?? [])[cursors[cursors.length - 1] as number];
      if (next === undefined) {
        state.set(node, 'done');
        path.pop();
        cursors.pop();
        continue;
      }
      cursors[cursors.length - 1] = (cursors[cursors.length - 1] as number) + 1;
      const seen = state.get(next);
      if (seen === 'visiting') return [...path.slice(path.indexOf(next)), next];
      if (seen === undefined) {
        state.set(next, 'visiting');
        path.push(next);
        cursors.push(0);
      }
    }
  }
  return undefined;
}
