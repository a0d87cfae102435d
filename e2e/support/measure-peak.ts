/** Runs nx and follows the peak memory of the process it runs the `parallel` executor in. */
import { findExecutorProcess, readPeakMemory, waitFor } from './run-processes';
import { startNx, type NxRun } from './run-nx';
import type { Workspace } from './workspace';

export interface MeasuredRun {
  run: NxRun;
  /** The executor process's peak resident memory in bytes. */
  peak: number;
}

/** Runs `nx run <project:target>` (with `env` added) and reads the executor process's peak memory until nx exits. */
export async function runMeasured(
  workspace: Workspace,
  projectTarget: string,
  env: Record<string, string> = {},
): Promise<MeasuredRun> {
  const nx = startNx(workspace, ['run', projectTarget], env);
  let exited = false;
  void nx.exited.then(() => (exited = true));
  const executor = await waitFor('the executor process', () => findExecutorProcess(nx.marker) ?? (exited || undefined));
  let peak = 0;
  // VmHWM only grows: the last reading before the process is gone is its peak.
  while (!exited && typeof executor === 'number') {
    peak = Math.max(peak, readPeakMemory(executor) ?? 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { run: await nx.finished, peak };
}
