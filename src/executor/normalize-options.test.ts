import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidOptionError } from '../errors';
import { normalizeOptions, resolveWorkerCount, type OptionDefaults } from './normalize-options';

const defaults: OptionDefaults = { project: 'app', configuration: undefined, cpus: 8, totalMemory: 14 * 2 ** 30 };

/** Options as a user or Nx may pass them, including values the type does not allow. */
function normalize(raw: Record<string, unknown>, overrides: Partial<OptionDefaults> = {}) {
  return normalizeOptions(raw, { ...defaults, ...overrides });
}

function refusal(raw: Record<string, unknown>, overrides: Partial<OptionDefaults> = {}): InvalidOptionError {
  try {
    normalize(raw, overrides);
  } catch (error) {
    assert.ok(error instanceof InvalidOptionError, `expected InvalidOptionError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('failure options', () => {
  it('bail means maxFailures 1', () => {
    assert.equal(normalize({ bail: true }).maxFailures, 1);
    assert.equal(normalize({ maxFailures: 3 }).maxFailures, 3);
  });

  it('takes taskTimeout in seconds', () => {
    assert.equal(normalize({ taskTimeout: 1.5 }).taskTimeoutMs, 1500);
  });

  it('refuses bad failure options, naming them', () => {
    for (const [option, value] of [
      ['maxFailures', 0],
      ['retries', -1],
      ['retries', 1.5],
      ['maxTasksPerWorker', 0],
      ['taskTimeout', -1],
    ] as const) {
      assert.throws(
        () => normalize({ [option]: value }),
        (error: Error) => error.message.includes(option),
      );
    }
  });

  it('refuses taskTimeout on the inline backend, which cannot kill a task', () => {
    const error = refusal({ taskTimeout: 5, parallelBackend: 'inline' });
    assert.equal(error.option, 'taskTimeout');
    // The backends that can kill a task on this machine are the way out.
    assert.match(error.accepted, /use 'processes' or 'threads' for a timeout/);
  });
});

describe('normalizeOptions defaults', () => {
  it('runs build of the owning project, grouped, on processes, with cpus - 1 workers', () => {
    assert.deepEqual(normalize({}), {
      targets: ['build'],
      projects: ['app'],
      excludeProjects: [],
      configuration: undefined,
      onlySelected: false,
      affected: undefined,
      nWorkers: 7,
      parallelBackend: 'processes',
      taskOutput: 'grouped',
      maxFailures: undefined,
      taskTimeoutMs: 0,
      retries: 0,
      maxTasksPerWorker: undefined,
      workerMemoryLimitBytes: 1 << 30,
      schedule: 'critical-path',
      dryRun: false,
      summaryFile: undefined,
      profileFile: undefined,
      graphFile: undefined,
      skipCache: false,
      waitForOtherRuns: true,
      distributed: undefined,
    });
  });

  it('selects every project when no project owns the target', () => {
    assert.deepEqual(normalize({}, { project: undefined }).projects, ['*']);
  });

  it('takes the configuration of the parallel target when none is set in options', () => {
    assert.equal(normalize({}, { configuration: 'prod' }).configuration, 'prod');
  });

  it('prefers the configuration set in options', () => {
    assert.equal(normalize({ configuration: 'staging' }, { configuration: 'prod' }).configuration, 'staging');
  });

  it('keeps lists as given and splits a comma-separated string', () => {
    const options = normalize({ targets: 'build, test', projects: ['lib-*', 'tag:api'], excludeProjects: ['docs'] });
    assert.deepEqual(options.targets, ['build', 'test']);
    assert.deepEqual(options.projects, ['lib-*', 'tag:api']);
    assert.deepEqual(options.excludeProjects, ['docs']);
  });

  it('accepts every backend and output style', () => {
    for (const parallelBackend of ['processes', 'threads', 'inline']) {
      assert.equal(normalize({ parallelBackend }).parallelBackend, parallelBackend);
    }
    for (const taskOutput of ['grouped', 'stream', 'errors-only']) {
      assert.equal(normalize({ taskOutput }).taskOutput, taskOutput);
    }
  });

  it('runs one worker with the inline backend, whatever nWorkers says', () => {
    assert.equal(normalize({ parallelBackend: 'inline', nWorkers: 6 }).nWorkers, 1);
    assert.equal(normalize({ parallelBackend: 'inline' }).nWorkers, 1);
  });
});

describe('nWorkers', () => {
  it('auto is the CPUs minus one, at least 1', () => {
    assert.equal(resolveWorkerCount('auto', 8), 7);
    assert.equal(resolveWorkerCount(undefined, 8), 7);
    assert.equal(resolveWorkerCount('auto', 2), 1);
    assert.equal(resolveWorkerCount('auto', 1), 1);
    assert.equal(normalize({ nWorkers: 'auto' }, { cpus: 4 }).nWorkers, 3);
  });

  it('N% is that share of the CPUs, rounded down, at least 1', () => {
    assert.equal(resolveWorkerCount('50%', 8), 4);
    assert.equal(resolveWorkerCount('50%', 3), 1);
    assert.equal(resolveWorkerCount('10%', 2), 1);
    assert.equal(resolveWorkerCount('200%', 2), 4);
  });

  it('takes integers as numbers and as strings', () => {
    assert.equal(resolveWorkerCount(1, 8), 1);
    assert.equal(resolveWorkerCount(12, 2), 12);
    assert.equal(resolveWorkerCount('3', 8), 3);
    assert.equal(normalize({ nWorkers: '3' }).nWorkers, 3);
  });

  for (const value of [
    0,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    'abc',
    '0%',
    '0',
    '-2',
    '1.5',
    '',
    '%',
    true,
  ]) {
    it(`refuses ${JSON.stringify(value) ?? String(value)}, naming the option and the accepted values`, () => {
      const error = refusal({ nWorkers: value });
      assert.equal(error.option, 'nWorkers');
      assert.equal(error.value, value);
      assert.match(error.message, /nWorkers/);
      assert.match(error.message, /integer >= 1/);
      assert.match(error.message, /"auto"/);
      assert.match(error.message, /%/);
    });
  }
});

describe('normalizeOptions refusals', () => {
  it('refuses an unknown backend, listing the backends', () => {
    const error = refusal({ parallelBackend: 'fork' });
    assert.equal(error.option, 'parallelBackend');
    for (const name of ['processes', 'threads', 'inline']) assert.match(error.message, new RegExp(`'${name}'`));
  });

  it('refuses an unknown output style, listing the styles', () => {
    const error = refusal({ taskOutput: 'quiet' });
    assert.equal(error.option, 'taskOutput');
    for (const name of ['grouped', 'stream', 'errors-only']) assert.match(error.message, new RegExp(`'${name}'`));
  });

  for (const targets of [5, { build: true }, ['build', 3], ['build', ''], [' ']]) {
    it(`refuses targets ${JSON.stringify(targets)}`, () => {
      const error = refusal({ targets });
      assert.equal(error.option, 'targets');
      assert.match(error.message, /targets/);
      assert.match(error.message, /list of non-empty names/);
    });
  }

  it('refuses an empty list of targets, which would silently run nothing', () => {
    assert.equal(refusal({ targets: [] }).option, 'targets');
  });

  it('refuses an empty list of projects, which would silently run nothing', () => {
    assert.equal(refusal({ projects: [] }).option, 'projects');
  });

  it('refuses projects and excludeProjects that are not lists of names', () => {
    assert.equal(refusal({ projects: 1 }).option, 'projects');
    assert.equal(refusal({ excludeProjects: [null] }).option, 'excludeProjects');
  });

  it('refuses a non-boolean onlySelected', () => {
    assert.equal(refusal({ onlySelected: 'yes' }).option, 'onlySelected');
  });

  it('refuses an empty or non-string configuration', () => {
    assert.equal(refusal({ configuration: '' }).option, 'configuration');
    assert.equal(refusal({ configuration: 3 }).option, 'configuration');
  });
});

describe('distributed options', () => {
  const env = { NX_PARALLEL_REDIS_URL: 'redis://:secret@ci-redis:6379' };

  it('takes the Redis URL from the option, else from NX_PARALLEL_REDIS_URL', () => {
    const fromEnv = normalize({ parallelBackend: 'distributed' }, { env })?.distributed;
    assert.equal(fromEnv?.redisUrl, 'redis://:secret@ci-redis:6379');
    const fromOption = normalize({ parallelBackend: 'distributed', redisUrl: 'rediss://r:6380' }, { env });
    assert.equal(fromOption.distributed?.redisUrl, 'rediss://r:6380');
  });

  it('defaults to the redis store, a 10 s worker lock and 300 s of waiting for workers', () => {
    assert.deepEqual(normalize({ parallelBackend: 'distributed' }, { env }).distributed, {
      redisUrl: env.NX_PARALLEL_REDIS_URL,
      redisTlsCaFile: undefined,
      artifactStore: 'redis',
      secret: undefined,
      workerLockMs: 10_000,
      waitForWorkersMs: 300_000,
    });
  });

  it('takes the shared secret from the option or NX_PARALLEL_SECRET, and refuses a short one without showing it', () => {
    const secret = 'sixteen chars ok';
    assert.equal(
      normalize({ parallelBackend: 'distributed', distributedSecret: secret }, { env }).distributed?.secret,
      secret,
    );
    const fromEnv = normalize({ parallelBackend: 'distributed' }, { env: { ...env, NX_PARALLEL_SECRET: secret } });
    assert.equal(fromEnv.distributed?.secret, secret);
    assert.throws(
      () => normalize({ parallelBackend: 'distributed', distributedSecret: 'short' }, { env }),
      (error: Error) => /distributedSecret/.test(error.message) && !error.message.includes('"short"'),
    );
  });

  it('is undefined for the local backends', () => {
    assert.equal(normalize({ redisUrl: 'redis://r:1' }).distributed, undefined);
  });

  it('refuses a missing or malformed Redis URL, saying where it comes from', () => {
    const missing = refusal({ parallelBackend: 'distributed' }, { env: {} });
    assert.equal(missing.option, 'redisUrl');
    assert.match(missing.message, /NX_PARALLEL_REDIS_URL/);
    assert.equal(refusal({ parallelBackend: 'distributed', redisUrl: 'http://r:1' }, { env: {} }).option, 'redisUrl');
  });

  it('takes s3://bucket/prefix stores and refuses others', () => {
    const s3 = normalize({ parallelBackend: 'distributed', artifactStore: 's3://ci-artifacts/nx' }, { env });
    assert.equal(s3.distributed?.artifactStore, 's3://ci-artifacts/nx');
    for (const artifactStore of ['s3://', 'gs://bucket', 'disk', 's3://Bad_Bucket']) {
      assert.equal(refusal({ parallelBackend: 'distributed', artifactStore }, { env }).option, 'artifactStore');
    }
  });

  it('refuses a worker lock under 1 s and negative waits', () => {
    assert.equal(
      refusal({ parallelBackend: 'distributed', workerLockSeconds: 0.5 }, { env }).option,
      'workerLockSeconds',
    );
    assert.equal(
      refusal({ parallelBackend: 'distributed', waitForWorkersSeconds: -1 }, { env }).option,
      'waitForWorkersSeconds',
    );
  });
});

describe('affected options', () => {
  it('selects every project in an affected run without projects', () => {
    const options = normalize({ affected: true, base: 'origin/main' });
    assert.deepEqual(options.projects, ['*']);
    assert.deepEqual(options.affected, { base: 'origin/main', head: undefined });
    assert.deepEqual(normalize({ affected: true, projects: ['lib'] }).projects, ['lib']);
  });

  it('is off by default, with the owning project selected', () => {
    assert.equal(normalize({}).affected, undefined);
    assert.deepEqual(normalize({}).projects, ['app']);
  });

  it('refuses base or head without affected, naming the option', () => {
    assert.equal(refusal({ base: 'main' }).option, 'base');
    assert.equal(refusal({ head: 'HEAD' }).option, 'head');
    assert.equal(refusal({ affected: 'yes' }).option, 'affected');
    assert.equal(refusal({ affected: true, base: '' }).option, 'base');
  });
});
