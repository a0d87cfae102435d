/**
 * Writes small Nx workspaces into the sandbox. Targets without an executor use the recording
 * executor `tools/record`; `parallelTarget()` gives a project the nx-parallel target.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RECORD_EXECUTOR_JS } from './record-executor';
import type { Sandbox } from './sandbox';

type Json = Record<string, unknown>;

export interface TargetSpec {
  executor?: string;
  options?: Json;
  configurations?: Record<string, Json>;
  dependsOn?: unknown[];
  cache?: boolean;
  continuous?: boolean;
}

export interface ProjectSpec {
  /** Projects this one depends on (implicit dependencies). */
  deps?: string[];
  tags?: string[];
  /** Default: one `build` target of the recording executor. */
  targets?: Record<string, TargetSpec>;
  /** Files relative to the project's root, such as `.env`. */
  files?: Record<string, string>;
}

export interface WorkspaceSpec {
  /** A readable prefix of the workspace folder. */
  name: string;
  projects: Record<string, ProjectSpec>;
  /** Merged over the default nx.json (`analytics: false`, `build` depends on `^build`). */
  nxJson?: Json;
  /** Files relative to the workspace root. */
  files?: Record<string, string>;
}

export interface Workspace {
  root: string;
  sandbox: Sandbox;
}

const STALE_WORKSPACE_MS = 60 * 60 * 1000;

export function parallelTarget(options: Json = {}, configurations?: Record<string, Json>): TargetSpec {
  return { executor: 'nx-parallel:parallel', cache: false, options, ...(configurations ? { configurations } : {}) };
}

function writeFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function writeJson(file: string, value: unknown): void {
  writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

function writeRecordExecutor(root: string): void {
  const dir = path.join(root, 'tools', 'record');
  writeJson(path.join(dir, 'package.json'), { name: 'record', private: true, executors: './executors.json' });
  writeJson(path.join(dir, 'executors.json'), {
    executors: { record: { implementation: './record.js', schema: './schema.json', description: 'Records its run.' } },
  });
  writeJson(path.join(dir, 'schema.json'), { version: 2, type: 'object', properties: {}, additionalProperties: true });
  writeFile(path.join(dir, 'record.js'), RECORD_EXECUTOR_JS);
}

function removeStaleWorkspaces(parent: string): void {
  for (const entry of fs.readdirSync(parent)) {
    const dir = path.join(parent, entry);
    if (Date.now() - fs.statSync(dir).mtimeMs > STALE_WORKSPACE_MS) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function makeWorkspace(sandbox: Sandbox, spec: WorkspaceSpec): Workspace {
  const parent = path.join(sandbox.dir, 'workspaces');
  fs.mkdirSync(parent, { recursive: true });
  removeStaleWorkspaces(parent);
  const root = path.join(parent, `${spec.name}-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(root);
  writeJson(path.join(root, 'package.json'), { name: spec.name, private: true });
  writeJson(path.join(root, 'nx.json'), {
    analytics: false,
    targetDefaults: { build: { dependsOn: ['^build'] } },
    ...spec.nxJson,
  });
  writeRecordExecutor(root);
  for (const [name, project] of Object.entries(spec.projects)) {
    const projectRoot = `libs/${name}`;
    const targets: Record<string, TargetSpec> = {};
    for (const [target, def] of Object.entries(project.targets ?? { build: {} })) {
      targets[target] = def.executor ? def : { executor: './tools/record:record', ...def, options: def.options ?? {} };
    }
    writeJson(path.join(root, projectRoot, 'project.json'), {
      name,
      root: projectRoot,
      tags: project.tags ?? [],
      implicitDependencies: project.deps ?? [],
      targets,
    });
    for (const [file, text] of Object.entries(project.files ?? {})) writeFile(path.join(root, projectRoot, file), text);
  }
  for (const [file, text] of Object.entries(spec.files ?? {})) writeFile(path.join(root, file), text);
  return { root, sandbox };
}

export function removeWorkspace(workspace: Workspace): void {
  fs.rmSync(workspace.root, { recursive: true, force: true });
}
