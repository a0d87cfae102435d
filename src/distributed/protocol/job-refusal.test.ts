import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobRefusedError, readJobFailure } from './job-refusal';

const KEY = 'bull:nx-parallel-r1:task-0';

describe('readJobFailure', () => {
  it("reads an agent's refusal back as data, whichever agent last held the job", () => {
    const error = new JobRefusedError('w2', KEY, { check: 'run', expected: 'r1', found: 'r0' });
    assert.deepEqual(readJobFailure(error.message, 'w1'), {
      reason: 'refused',
      refused: 'job',
      agent: 'w2',
      key: KEY,
      check: 'run',
      expected: 'r1',
      found: 'r0',
    });
  });

  it('takes a job BullMQ failed for its expired lock for a lost agent, named when BullMQ knows it', () => {
    assert.deepEqual(readJobFailure('job stalled more than allowable limit', 'w3'), {
      reason: 'worker-lost',
      detected: 'lock-expired',
      agent: 'w3',
    });
    assert.deepEqual(readJobFailure('job stalled more than allowable limit', undefined), {
      reason: 'worker-lost',
      detected: 'lock-expired',
    });
  });

  it('never takes a refusal of another shape, or another error, for a refusal or a lost agent', () => {
    const forged = JSON.stringify({ protocol: 2, agent: 'w2', key: KEY, refusal: { check: 'teleport' } });
    for (const reason of [forged, 'TypeError: x is undefined', '']) {
      const failure = readJobFailure(reason, 'w1');
      assert.equal(failure.reason, 'threw', reason);
    }
  });
});
