/**
 * A hand-made Nx workspace on disk with a local executor that does nothing, and the `WorkerInit` of
 * a run of its tasks, built the way the `parallel` executor builds it: pools and `runTask` can run
 * its tasks without Nx starting.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectGraph, ProjectsConfigurations, TaskGraph } from '@nx/devkit';
import type { WorkerInit } from '../src/worker/protocol';

const EXECUTOR = './tools/noop:noop';

export interface NoopWorkspace {
  root: string;
  /** Task ids in run order, `noop<i>:noop`. */
  taskIds: string[];
  init: WorkerInit;
  remove(): void;
}

function write(root: string, file: string, text: string): void {
  mkdirSync(join(root, file, '..'), { recursive: true });
  writeFileSync(join(root, file), text);
}

export function createNoopWorkspace(taskCount: number): NoopWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'nx-parallel-bench-noop-'));
  const json = (value: unknown): string => JSON.stringify(value, null, 2);
  write(root, 'package.json', json({ name: 'noop-workspace', private: true }));
  write(root, 'nx.json', json({ analytics: false }));
  write(root, 'tools/noop/package.json', json({ name: 'noop', executors: './executors.json' }));
  write(
    root,
    'tools/noop/executors.json',
    json({ executors: { noop: { implementation: './impl.js', schema: './schema.json', description: 'noop' } } }),
  );
  write(root, 'tools/noop/schema.json', json({ version: 2, type: 'object', properties: {} }));
  write(root, 'tools/noop/impl.js', 'module.exports = async function noop() { return { success: true }; };\n');

  const projectGraph: ProjectGraph = { nodes: {}, dependencies: {} };
  const projectsConfigurations: ProjectsConfigurations = { version: 2, projects: {} };
  const taskGraph: TaskGraph = { roots: [], tasks: {}, dependencies: {}, continuousDependencies: {} };
  const taskIds: string[] = [];
  for (let i = 0; i < taskCount; i++) {
    const name = `noop${i}`;
    const projectRoot = `libs/${name}`;
    const targets = { noop: { executor: EXECUTOR, options: {} } };
    mkdirSync(join(root, projectRoot), { recursive: true });
    projectGraph.nodes[name] = { name, type: 'lib', data: { root: projectRoot, targets } };
    projectGraph.dependencies[name] = [];
    projectsConfigurations.projects[name] = { name, root: projectRoot, targets };
    const id = `${name}:noop`;
    taskIds.push(id);
    taskGraph.roots.push(id);
    taskGraph.dependencies[id] = [];
    taskGraph.continuousDependencies[id] = [];
    taskGraph.tasks[id] = {
      id,
      target: { project: name, target: 'noop' },
      overrides: {},
      outputs: [],
      projectRoot,
      cache: false,
    };
  }
  const baseEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) baseEnv[key] = value;
  const init: WorkerInit = {
    root,
    cwd: root,
    isVerbose: false,
    projectGraph,
    projectsConfigurations,
    nxJsonConfiguration: {},
    taskGraph,
    baseEnv,
  };
  return { root, taskIds, init, remove: () => rmSync(root, { recursive: true, force: true }) };
}
