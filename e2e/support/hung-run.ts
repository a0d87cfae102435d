/**
 * The run the interrupt tests stop: two tasks that never end on two workers, `hanger:build` (the
 * recording executor, hanging or busy in synchronous code) and `sleeper:build` (`nx:run-commands`
 * running `sleep 300`, which it starts in a session of its own).
 */
import { findSleepers, waitFor } from './run-processes';
import { startNx, type StartOptions, type StartedNx } from './run-nx';
import type { Sandbox } from './sandbox';
import { findStartMark } from './start-marks';
import { makeWorkspace, parallelTarget, type Workspace } from './workspace';

export interface HungWorkspaceSpec {
  name: string;
  backend: 'processes' | 'threads';
  /** How `hanger:build` never ends: a promise that never settles, or a synchronous endless loop. */
  hanger?: 'hang' | 'busy';
}

export function makeHungWorkspace(sandbox: Sandbox, { name, backend, hanger = 'hang' }: HungWorkspaceSpec): Workspace {
  return makeWorkspace(sandbox, {
    name,
    projects: {
      sleeper: { targets: { build: { executor: 'nx:run-commands', options: { command: 'sleep 300' } } } },
      hanger: { targets: { build: { options: { [hanger]: true } } } },
      runner: { targets: { parallel: parallelTarget({ projects: ['*'], nWorkers: 2, parallelBackend: backend }) } },
    },
  });
}

/** Starts `nx run runner:parallel` and returns once both tasks are running. */
export async function startHungRun(
  workspace: Workspace,
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<StartedNx> {
  const nx = startNx(workspace, ['run', 'runner:parallel'], env, options);
  try {
    await waitFor(
      'both hung tasks to start',
      () => findStartMark(workspace.root, 'hanger:build') && findSleepers(workspace.root).length > 0,
    );
  } catch (error) {
    process.kill(-nx.pid, 'SIGKILL');
    await nx.finished;
    throw error;
  }
  return nx;
}
