import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunManyFlagError } from '../errors';
import { refuseKeptFlags } from './run-many-flags';

const task = { project: 'app', target: 'parallel' };

function refusal(args: string[]): RunManyFlagError {
  try {
    refuseKeptFlags(args, task);
  } catch (error) {
    assert.ok(error instanceof RunManyFlagError, String(error));
    return error;
  }
  assert.fail(`expected ${args.join(' ')} to be refused`);
}

describe('run-many flags nx run keeps for itself', () => {
  it('refuses each, naming the option to use', () => {
    const cases: [string[], string, string | undefined][] = [
      [['-t', 'test'], '-t', '--targets=<names>'],
      [['--target=test'], '--target', '--targets=<names>'],
      [['--parallel=3'], '--parallel', '--nWorkers=<n> (-n)'],
      [['--exclude', 'lib'], '--exclude', '--excludeProjects=<names>'],
      [['--exclude-task-dependencies'], '--exclude-task-dependencies', '--onlySelected'],
      [['--excludeTaskDependencies'], '--excludeTaskDependencies', '--onlySelected'],
      [['--nx-bail'], '--nx-bail', '--bail'],
      [['--output-style=stream'], '--output-style', '--taskOutput=grouped|stream|errors-only'],
      [['--nx-ignore-cycles'], '--nx-ignore-cycles', undefined],
    ];
    for (const [flags, typed, replacement] of cases) {
      const error = refusal(['run', 'app:parallel', ...flags]);
      assert.equal(error.flag, typed);
      assert.equal(error.replacement, replacement);
      if (replacement) assert.match(error.message, new RegExp(`Use '${replacement.replace(/[|()*<>]/g, '\\$&')}'`));
    }
  });

  it('refuses them in the infix form too', () => {
    assert.equal(refusal(['parallel', 'app', '-t', 'test']).flag, '-t');
  });

  it('leaves nx-parallel options, Nx flags it honours, and other commands alone', () => {
    refuseKeptFlags(['run', 'app:parallel', '--targets=test', '-n', '3', '-c', 'prod', '--skip-nx-cache'], task);
    refuseKeptFlags(['run', '--project=app', '--target=parallel'], task);
    refuseKeptFlags(['run-many', '-t', 'parallel', '--parallel=3'], task);
    refuseKeptFlags(['affected', '-t', 'parallel', '--exclude=lib'], task);
    refuseKeptFlags(['run', 'app:parallel', '--', '--parallel'], task);
    refuseKeptFlags(undefined, task);
  });
});
