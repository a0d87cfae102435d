/** Shared formatting in Nx's own look (its `output` helper supplies colours and the command style). */
import { output } from '@nx/devkit';
import type { TaskResult } from './events';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m ${Math.round((ms % 60_000) / 1000)}s`;
}

/** The header line of a task's output block: `> nx run <taskId>`, marked when it came from the cache or failed. */
export function taskHeader(taskId: string, mark?: 'local' | 'remote' | 'failed'): string {
  const note =
    mark === 'failed' ? `  ${output.colors.red('[failed]')}` : mark ? `  ${output.dim(`[${mark} cache]`)}` : '';
  return `${output.dim('>')} ${output.formatCommand(taskId)}${note}`;
}

export function describeResult(result: TaskResult): string {
  switch (result.status) {
    case 'succeeded':
      return result.cached ? `succeeded (from the ${result.cached} cache)` : 'succeeded';
    case 'failed':
      return result.reason === 'executor-failed' ? 'failed: the executor reported failure' : `failed: ${result.reason}`;
    case 'skipped':
      if (result.reason === 'run-stopped') return `not started: ${result.cause}`;
      return `skipped: dependency ${result.dependency} ${result.reason === 'dependency-failed' ? 'failed' : 'was skipped'}`;
    default: {
      const never: never = result;
      return never;
    }
  }
}

export function ensureNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
