import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidOptionError } from '../errors';
import { resolveMemoryLimit } from './memory-limit';

const MB = 2 ** 20;
const GB = 2 ** 30;

describe('resolveMemoryLimit', () => {
  it('reads megabytes, MB, GB and a share of the memory', () => {
    assert.equal(resolveMemoryLimit(1536, 16 * GB, 4), 1536 * MB);
    assert.equal(resolveMemoryLimit('512MB', 16 * GB, 4), 512 * MB);
    assert.equal(resolveMemoryLimit('1.5gb', 16 * GB, 4), 1.5 * GB);
    assert.equal(resolveMemoryLimit('25%', 16 * GB, 4), 4 * GB);
  });

  it('shares half the memory among the workers by default, and gives each at least 512 MB', () => {
    assert.equal(resolveMemoryLimit(undefined, 16 * GB, 4), 2 * GB);
    assert.equal(resolveMemoryLimit('auto', 16 * GB, 4), 2 * GB);
    assert.equal(resolveMemoryLimit('auto', 4 * GB, 16), 512 * MB);
  });

  it('refuses anything else, naming the option', () => {
    for (const value of [0, -1, '2TB', '0%', '150%', 'lots', true]) {
      assert.throws(
        () => resolveMemoryLimit(value, 16 * GB, 4),
        (error: unknown) => error instanceof InvalidOptionError && error.option === 'workerMemoryLimit',
        String(value),
      );
    }
  });
});
