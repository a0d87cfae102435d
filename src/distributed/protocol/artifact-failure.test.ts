import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArchiveRefusedError } from '../../errors';
import { artifactFailure, artifactStep } from './artifact-failure';

const ARCHIVE = { taskId: 'base:build', key: 'r1/base/k1' };
const WHERE = { side: 'agent', agent: 'w1', taskId: 'app:build', key: 'r1/app/k2', step: 'upload' } as const;

async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('the step did not fail');
}

describe('artifactStep', () => {
  it('gives a failed step its archive, its step and its cause', async () => {
    const error = await failureOf(() =>
      artifactStep(ARCHIVE, 'download', () => Promise.reject(new Error('no such key'))),
    );
    assert.deepEqual(artifactFailure(error, WHERE), {
      reason: 'artifact-failed',
      side: 'agent',
      agent: 'w1',
      taskId: 'base:build',
      key: 'r1/base/k1',
      step: 'download',
      cause: 'no such key',
    });
  });

  it('tells an archive refused by its checks (verify) from one that could not be written (extract)', async () => {
    const refused = await failureOf(() =>
      artifactStep(ARCHIVE, 'extract', () => Promise.reject(new ArchiveRefusedError('base:build', undefined, 'wrong'))),
    );
    assert.equal(artifactFailure(refused, WHERE).step, 'verify');
    const full = await failureOf(() => artifactStep(ARCHIVE, 'extract', () => Promise.reject(new Error('ENOSPC'))));
    assert.equal(artifactFailure(full, WHERE).step, 'extract');
  });

  it('keeps the step where it failed first, and falls back on where it was asked for any other error', async () => {
    const inner = await failureOf(() =>
      artifactStep(ARCHIVE, 'extract', () => artifactStep(ARCHIVE, 'download', () => Promise.reject(new Error('x')))),
    );
    assert.equal(artifactFailure(inner, WHERE).step, 'download');
    assert.deepEqual(artifactFailure(new Error('odd'), WHERE), { reason: 'artifact-failed', ...WHERE, cause: 'odd' });
  });
});
