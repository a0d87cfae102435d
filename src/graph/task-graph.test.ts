import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProjectGraph, ProjectGraphProjectNode, TargetConfiguration } from '@nx/devkit';
import {
  ContinuousTaskError,
  CycleError,
  SelfSelectionError,
  UnknownProjectError,
  UnknownTargetError,
} from '../errors';
import { createInnerTaskGraph, PARALLEL_EXECUTOR, type TaskGraphRequest } from './task-graph';
import { catchError } from '../test-support/catch-error';

type Targets = Record<string, Partial<TargetConfiguration>>;

interface ProjectSpec {
  targets: Targets;
  tags?: string[];
  /** Names of the projects this one depends on. */
  deps?: string[];
}

function projectGraph(specs: Record<string, ProjectSpec>): ProjectGraph {
  const nodes: Record<string, ProjectGraphProjectNode> = {};
  const dependencies: ProjectGraph['dependencies'] = {};
  for (const [name, spec] of Object.entries(specs)) {
    const targets: Record<string, TargetConfiguration> = {};
    for (const [target, config] of Object.entries(spec.targets)) targets[target] = { executor: 'nx:noop', ...config };
    nodes[name] = { name, type: 'lib', data: { root: `libs/${name}`, tags: spec.tags ?? [], targets } };
    dependencies[name] = (spec.deps ?? []).map((target) => ({ source: name, target, type: 'static' }));
  }
  return { nodes, dependencies, externalNodes: {} };
}

const build = { dependsOn: ['^build'] };

/** app -> ui -> utils, app -> utils; `docs` has no build. */
const workspace = projectGraph({
  app: { targets: { build, test: {} }, deps: ['ui', 'utils'] },
  ui: { targets: { build, test: {} }, deps: ['utils'], tags: ['type:lib'] },
  utils: { targets: { build: { ...build, configurations: { prod: {} } } }, tags: ['type:lib'] },
  docs: { targets: { lint: {} } },
});

function graphFor(request: Partial<TaskGraphRequest>, graph = workspace) {
  return createInnerTaskGraph({
    projectGraph: graph,
    nxJson: {},
    projects: ['app'],
    excludeProjects: [],
    targets: ['build'],
    configuration: undefined,
    onlySelected: false,
    ...request,
  });
}

describe('createInnerTaskGraph', () => {
  it("pulls in the dependencies' tasks through dependsOn ^build", () => {
    const inner = graphFor({ projects: ['app'] });
    assert.deepEqual([...inner.ids].sort(), ['app:build', 'ui:build', 'utils:build']);
    assert.deepEqual([...(inner.dependencies['app:build'] ?? [])].sort(), ['ui:build', 'utils:build']);
    assert.deepEqual(inner.dependencies['ui:build'], ['utils:build']);
    assert.deepEqual(inner.dependencies['utils:build'], []);
  });

  it('leaves the pulled-in tasks out with onlySelected', () => {
    const inner = graphFor({ projects: ['app'], onlySelected: true });
    assert.deepEqual(inner.ids, ['app:build']);
    assert.deepEqual(inner.dependencies['app:build'], []);
  });

  it('keeps edges between selected tasks with onlySelected', () => {
    const inner = graphFor({ projects: ['app', 'ui'], onlySelected: true });
    assert.deepEqual([...inner.ids].sort(), ['app:build', 'ui:build']);
    assert.deepEqual(inner.dependencies['app:build'], ['ui:build']);
  });

  it('gives every task a dependency list of plain string ids, and keeps Nx own graph for Nx and executors', () => {
    const inner = graphFor({ projects: ['*'] });
    assert.deepEqual(Object.keys(inner.dependencies).sort(), [...inner.ids].sort());
    assert.deepEqual(Object.keys(inner.taskGraph.tasks).sort(), [...inner.ids].sort());
    for (const [id, list] of Object.entries(inner.dependencies)) {
      for (const dep of list) assert.equal(typeof dep, 'string', `an edge of ${id} is not a string`);
    }
    // nx 24 edges are objects; its hasher and executors read them so.
    assert.deepEqual(inner.taskGraph.dependencies['ui:build'], [{ id: 'utils:build' }]);
  });

  it('runs several targets and passes over projects that lack them', () => {
    const inner = graphFor({ projects: ['*'], targets: ['test'] });
    assert.deepEqual([...inner.ids].sort(), ['app:test', 'ui:test']);
  });

  it('yields an empty graph when no selected project has the target', () => {
    const inner = graphFor({ projects: ['docs'], targets: ['build'] });
    assert.deepEqual(inner.ids, []);
  });

  it('honours excludeProjects for the selected tasks', () => {
    const inner = graphFor({ projects: ['*'], excludeProjects: ['app'] });
    assert.deepEqual([...inner.ids].sort(), ['ui:build', 'utils:build']);
  });

  it('forwards the configuration only to tasks whose target has it', () => {
    const inner = graphFor({ projects: ['app'], configuration: 'prod' });
    assert.deepEqual([...inner.ids].sort(), ['app:build', 'ui:build', 'utils:build:prod']);
    assert.equal(inner.taskGraph.tasks['utils:build:prod']?.target.configuration, 'prod');
    assert.equal(inner.taskGraph.tasks['app:build']?.target.configuration, undefined);
    assert.deepEqual(inner.dependencies['ui:build'], ['utils:build:prod']);
  });

  it('refuses an unknown project pattern, suggesting the nearest name', () => {
    const error = catchError(() => graphFor({ projects: ['utlis'] }));
    assert.ok(error instanceof UnknownProjectError);
    assert.equal(error.pattern, 'utlis');
    assert.ok(error.nearest.includes('utils'), error.message);
  });

  it('refuses an unknown target, suggesting the nearest name', () => {
    const error = catchError(() => graphFor({ targets: ['tset'] }));
    assert.ok(error instanceof UnknownTargetError);
    assert.equal(error.target, 'tset');
    assert.ok(error.nearest.includes('test'), error.message);
  });

  it('refuses a selection that includes the nx-parallel target itself', () => {
    const graph = projectGraph({
      app: { targets: { build: {}, all: { executor: PARALLEL_EXECUTOR } } },
      lib: { targets: { all: { executor: 'nx:noop' } } },
    });
    const error = catchError(() => graphFor({ projects: ['*'], targets: ['all'] }, graph));
    assert.ok(error instanceof SelfSelectionError);
    assert.deepEqual(error.taskIds, ['app:all']);
  });

  it('refuses a selection that pulls in the nx-parallel target through dependsOn', () => {
    const graph = projectGraph({
      app: { targets: { build: { dependsOn: ['all'] }, all: { executor: PARALLEL_EXECUTOR } } },
    });
    const error = catchError(() => graphFor({ projects: ['app'], targets: ['build'] }, graph));
    assert.ok(error instanceof SelfSelectionError);
    assert.deepEqual(error.taskIds, ['app:all']);
  });

  it('refuses a continuous target', () => {
    const graph = projectGraph({ app: { targets: { serve: { continuous: true }, build: {} } } });
    const error = catchError(() => graphFor({ projects: ['app'], targets: ['serve'] }, graph));
    assert.ok(error instanceof ContinuousTaskError);
    assert.deepEqual(error.taskIds, ['app:serve']);
  });

  it('refuses a task that depends on a continuous task', () => {
    const graph = projectGraph({
      app: { targets: { e2e: { dependsOn: ['serve'] }, serve: { continuous: true } } },
    });
    const error = catchError(() => graphFor({ projects: ['app'], targets: ['e2e'] }, graph));
    assert.ok(error instanceof ContinuousTaskError);
    assert.deepEqual(error.dependents, [{ taskId: 'app:e2e', continuous: ['app:serve'] }]);
    assert.match(error.message, /app:e2e depends on the continuous task app:serve/);
    assert.match(error.message, /Remove that dependency from app:e2e/);
  });

  it('reports a cycle of dependsOn with the task ids of the cycle', () => {
    const graph = projectGraph({
      a: { targets: { build: { dependsOn: ['gen'] }, gen: { dependsOn: ['build'] } } },
    });
    const error = catchError(() => graphFor({ projects: ['a'], targets: ['build'] }, graph));
    assert.ok(error instanceof CycleError, String(error));
    assert.equal(error.cycle[0], error.cycle[error.cycle.length - 1]);
    assert.deepEqual(new Set(error.cycle), new Set(['a:build', 'a:gen']));
    assert.match(error.message, /a:build/);
  });

  it('reports a cycle across projects', () => {
    const graph = projectGraph({
      a: { targets: { build }, deps: ['b'] },
      b: { targets: { build }, deps: ['a'] },
    });
    const error = catchError(() => graphFor({ projects: ['a'], targets: ['build'] }, graph));
    assert.ok(error instanceof CycleError, String(error));
    assert.deepEqual(new Set(error.cycle), new Set(['a:build', 'b:build']));
  });
});
