/** Kills a process and all of its descendants (tree-kill walks the tree with the OS's own tools). */
import treeKill from 'tree-kill';

export function killTree(pid: number): Promise<void> {
  return new Promise((resolve) => treeKill(pid, 'SIGKILL', () => resolve()));
}
