/** The error a call throws, for tests that look at its fields; fails the test if it does not throw. */
import assert from 'node:assert/strict';

export function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}
