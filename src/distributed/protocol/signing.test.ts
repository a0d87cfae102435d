import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signatureProblem, signed } from './signing';

const SECRET = 'a shared secret of some length';

describe('signing', () => {
  it('verifies what it signed, whatever the order of the keys, after a trip through JSON', () => {
    const value = signed({ b: 1, a: { y: [1, 'x'], x: null }, c: undefined }, SECRET, 'job:q:task-1');
    const reordered = JSON.parse(
      JSON.stringify({ a: { x: null, y: [1, 'x'] }, b: 1, signature: value.signature }),
    ) as unknown;
    assert.equal(signatureProblem(reordered, SECRET, 'job:q:task-1'), undefined);
  });

  it('refuses unsigned values, other secrets, changed values and other keys', () => {
    const value = signed({ outcome: 'succeeded' }, SECRET, 'result:q:task-1');
    assert.equal(signatureProblem({ outcome: 'succeeded' }, SECRET, 'result:q:task-1'), 'unsigned');
    assert.equal(signatureProblem(value, 'another secret', 'result:q:task-1'), 'wrongly signed');
    assert.equal(signatureProblem({ ...value, outcome: 'failed' }, SECRET, 'result:q:task-1'), 'wrongly signed');
    assert.equal(signatureProblem(value, SECRET, 'result:q:task-2'), 'wrongly signed');
    assert.equal(signatureProblem({ ...value, signature: 'zz' }, SECRET, 'result:q:task-1'), 'wrongly signed');
  });

  it('leaves a value as it is without a secret', () => {
    assert.deepEqual(signed({ a: 1 }, undefined, 'run:r1'), { a: 1 });
  });
});
