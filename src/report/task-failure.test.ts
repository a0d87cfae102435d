import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRetryable, type FailureReason } from './task-failure';

describe('isRetryable', () => {
  it('retries a task whose worker or agent was lost, never one that was refused or failed by itself', () => {
    const reasons: FailureReason[] = [
      'executor-failed',
      'threw',
      'worker-crashed',
      'timed-out',
      'interrupted',
      'refused',
      'artifact-failed',
      'worker-lost',
    ];
    assert.deepEqual(reasons.filter(isRetryable), ['worker-crashed', 'worker-lost']);
  });
});
