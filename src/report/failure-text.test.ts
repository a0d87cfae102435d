import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureDetails, failureText } from './failure-text';
import type { TaskFailure } from './task-failure';

const KEY = 'bull:nx-parallel-r1:task-3';

describe('failureText', () => {
  it('tells a plain reason by its message, or not at all', () => {
    assert.equal(failureText({ reason: 'executor-failed', message: 'exit code 2' }), 'exit code 2');
    assert.equal(failureText({ reason: 'interrupted' }), undefined);
  });

  it('names the agent, the key and each check a job or a result was refused for', () => {
    const refused = (check: TaskFailure): string | undefined => failureText(check);
    assert.equal(
      refused({
        reason: 'refused',
        refused: 'job',
        agent: 'w2',
        key: KEY,
        check: 'fingerprint',
        differences: [
          { field: 'commit', run: 'c1', job: 'c2' },
          { field: 'nx', run: '20.1.0', job: '20.2.0' },
        ],
      }),
      `Agent w2 refused the job under ${KEY}: its workspace fingerprint is not the run's ` +
        `(commit: c1 in the run, c2 in the job; nx: 20.1.0 in the run, 20.2.0 in the job).`,
    );
    assert.equal(
      refused({ reason: 'refused', refused: 'job', agent: 'w2', key: KEY, check: 'run', expected: 'r1', found: 'r0' }),
      `Agent w2 refused the job under ${KEY}: it belongs to run r0, not r1.`,
    );
    assert.match(
      refused({
        reason: 'refused',
        refused: 'job',
        agent: 'w2',
        key: KEY,
        check: 'dependencies',
        stranger: 'd:build',
      }) ?? '',
      /brings outputs of d:build, which the task does not depend on\.$/,
    );
    assert.equal(
      refused({ reason: 'refused', refused: 'result', agent: 'w1', key: KEY, check: 'signature', problem: 'unsigned' }),
      `The coordinator refused the result under ${KEY} from agent w1: it is unsigned and the run has a shared secret.`,
    );
    assert.equal(
      refused({ reason: 'refused', refused: 'result', key: KEY, check: 'protocol', problem: 'the result is not JSON' }),
      `The coordinator refused the result under ${KEY}: the result is not JSON.`,
    );
  });

  it('says whose archive failed, at which step and where', () => {
    const archive = { reason: 'artifact-failed', agent: 'w1', taskId: 'base:build', key: 'r1/base/k' } as const;
    assert.equal(
      failureText({ ...archive, side: 'agent', step: 'upload', cause: 'S3 is down.' }),
      'The outputs of base:build (archive r1/base/k) could not be stored on agent w1: S3 is down.',
    );
    assert.equal(
      failureText({ ...archive, side: 'coordinator', step: 'verify', cause: 'Wrong sha256.' }),
      'The outputs of base:build (archive r1/base/k) were refused when checked here (built by agent w1): Wrong sha256.',
    );
  });

  it('says how the agent was found lost', () => {
    assert.equal(
      failureText({ reason: 'worker-lost', detected: 'lock-expired', agent: 'w3' }),
      'Agent w3 did not finish the task: its job lock expired twice (the agent stalled, died or was cut off).',
    );
    assert.equal(
      failureText({ reason: 'worker-lost', detected: 'not-queued', cause: 'Connection is closed.' }),
      'The agent did not finish the task: its job could not be queued: Connection is closed.',
    );
  });
});

describe('failureDetails', () => {
  it("gives a distributed failure's data without its reason, and none for the others", () => {
    assert.deepEqual(failureDetails({ reason: 'worker-lost', detected: 'lock-expired', agent: 'w3' }), {
      detected: 'lock-expired',
      agent: 'w3',
    });
    assert.equal(failureDetails({ reason: 'threw', message: 'boom' }), null);
  });
});
