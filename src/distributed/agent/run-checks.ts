/**
 * What an agent accepts of a run: the run's task graph must be the one this checkout builds, and a
 * job must belong to the run, carry its fingerprint and bring outputs only of what its task depends on.
 */
import type { NxJsonConfiguration, ProjectGraph, ProjectsConfigurations } from '@nx/devkit';
import { createInnerTaskGraph, transitiveDependencies, type InnerTaskGraph } from '../../graph/task-graph';
import type { RefusedCheck } from '../../report/task-failure';
import { differingParts } from '../protocol/fingerprint';
import type { JobData, RunAnnouncement } from '../protocol/job-protocol';
import { graphHash } from '../protocol/run-names';

/** This checkout, as an agent loaded it to serve a run. */
export interface AgentWorkspace {
  root: string;
  projectGraph: ProjectGraph;
  nxJson: NxJsonConfiguration;
  projectsConfigurations: ProjectsConfigurations;
}

/** The run's task graph in this checkout, or why this worker cannot serve it. */
export function buildRunGraph(run: RunAnnouncement, workspace: AgentWorkspace): InnerTaskGraph | string {
  let inner: InnerTaskGraph;
  try {
    inner = createInnerTaskGraph({
      ...run.selection,
      configuration: run.selection.configuration,
      projectGraph: workspace.projectGraph,
      nxJson: workspace.nxJson,
    });
  } catch (error) {
    return `its task graph cannot be built: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (graphHash(inner.ids) !== run.graphHash) return `its task graph holds other tasks than the coordinator's`;
  return inner;
}

/**
 * Why a job must not run here, if it must not: a job names a task of this run, carries the run's
 * fingerprint, and brings outputs only of what the task depends on in this checkout's graph.
 */
export function refuseJob(data: JobData, run: RunAnnouncement, inner: InnerTaskGraph): RefusedCheck | undefined {
  if (data.runId !== run.runId) return { check: 'run', expected: run.runId, found: data.runId };
  if (!inner.taskGraph.tasks[data.taskId]) return { check: 'task' };
  const differences = differingParts(run.fingerprint, data.fingerprint);
  if (differences.length) {
    return {
      check: 'fingerprint',
      differences: differences.map(({ field, ours, theirs }) => ({ field, run: ours, job: theirs })),
    };
  }
  const allowed = transitiveDependencies(inner.dependencies, data.taskId);
  const stranger = data.dependencies.find((dependency) => !allowed.has(dependency.taskId));
  if (stranger) return { check: 'dependencies', stranger: stranger.taskId };
  return undefined;
}
