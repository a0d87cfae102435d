/**
 * The text of a notice: a `[nx-parallel] ` line (warnings in Nx's orange), then any detail lines,
 * indented. Stray worker output is printed as it came, under the pool's own header.
 */
import { output } from '@nx/devkit';
import type { Notice } from './notices';

const PREFIX = '[nx-parallel] ';

function note(title: string, ...details: string[]): string {
  return [PREFIX + title, ...details.map((line) => `  ${line}`)].join('\n') + '\n';
}

function warning(title: string, ...details: string[]): string {
  return note(output.colors.orange(title), ...details);
}

function firstOf(ids: readonly string[], shown: number): string {
  return ids.slice(0, shown).join(', ') + (ids.length > shown ? ', ...' : '');
}

export function formatNotice(notice: Notice): string {
  switch (notice.kind) {
    case 'no-tasks': {
      const among = notice.affected
        ? `None of the affected projects among the selected ones (${notice.projects.join(', ')})`
        : `None of the selected projects (${notice.projects.join(', ')})`;
      return note(`No tasks to run: ${among} has the target(s) ${notice.targets.join(', ')}.`);
    }
    case 'affected-projects':
      return note(
        `${notice.projects.length} project(s) affected between ${notice.base} and ${notice.head ?? 'the working tree'}` +
          (notice.projects.length ? `: ${notice.projects.join(', ')}` : ''),
      );
    case 'waiting-for-run':
      return note(
        `Waiting for the nx-parallel run of ${notice.owner} (pid ${notice.pid}) to end`,
        `It is building ${notice.shared.length} of this run's tasks (${firstOf(notice.shared, 3)}); never are two builds of one task run at once.`,
        'Pass --waitForOtherRuns=false to refuse instead of waiting.',
      );
    case 'history-unreadable':
      return warning(`Ignoring ${notice.path}, which cannot be read (${notice.error}); it will be written anew.`);
    case 'history-unwritable':
      return warning(`Could not write ${notice.path} (${notice.error}); durations of this run are not kept.`);
    case 'cache-unavailable':
      return warning(`Nx's cache could not be opened (${notice.error}); this run does not use it.`);
    case 'cache-failed':
      return warning(
        `Nx's cache failed to ${notice.operation} ${notice.taskId} (${notice.error}); the tasks run without it.`,
      );
    case 'cache-lookup-failed':
      return warning(`Nx's cache could not look up ${notice.taskId} (${notice.error}); the plan shows it as a miss.`);
    case 'output-kept-in-memory': {
      const [first] = notice.taskIds;
      const tasks =
        notice.taskIds.length === 1 ? `task ${first}` : `${notice.taskIds.length} tasks (${notice.taskIds.join(', ')})`;
      const lost = notice.droppedChars
        ? `and ${notice.droppedChars} characters past the limit were dropped`
        : 'none of it lost';
      return warning(
        `The output of ${tasks} could not be written to a temporary file in ${notice.directory} (${notice.error}); ` +
          `it was kept in memory instead, ${lost}. Free space there or set TMPDIR to a folder with room.`,
      );
    }
    case 'stray-output':
      return notice.text;
    case 'value-skipped':
      return warning(`Skipped ${notice.key}: ${notice.problem}.`);
    case 'result-skipped':
      return warning(`Skipped the result under ${notice.key}: ${notice.problem}.`);
    case 'agent-joined':
      return note(`Agent ${notice.workerId} joined the run (${notice.concurrency} at a time).`);
    case 'agent-left':
      return note(`Agent ${notice.workerId} left the run.`);
    case 'agent-silent':
      return warning(`Agent ${notice.workerId} stopped answering.`);
    case 'agent-refused': {
      const title = `Agent ${notice.workerId} refused this run: ${notice.reason}`;
      if (!notice.fingerprints) return warning(title);
      return warning(
        title,
        `coordinator: ${notice.fingerprints.coordinator}`,
        `agent ${notice.workerId}: ${notice.fingerprints.agent}`,
        "On that machine, check out the coordinator's commit (with no other changes) and install the " +
          'same lock file (the same nx and nx-parallel versions), restart the agent, and run again.',
      );
    }
    case 'waiting-for-agents':
      return note(
        `Waiting for nx-parallel agents (none serves this run yet); giving up after ${notice.giveUpSeconds}s. ` +
          `Start one in a checkout of commit ${notice.commit}: npx nx-parallel worker --redis ${notice.redisUrl}`,
      );
    default: {
      const never: never = notice;
      return never;
    }
  }
}
