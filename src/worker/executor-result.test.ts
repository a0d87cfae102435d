import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastExecutorResult } from './executor-result';

type Result = { success: boolean };

/** An executor's async generator: yields `yielded`, then returns `returned`. */
async function* executor(yielded: Result[], returned?: Result): AsyncGenerator<Result, Result | undefined> {
  for (const value of yielded) yield await Promise.resolve(value);
  return returned;
}

describe('lastExecutorResult', () => {
  it('takes the value a generator returns without yielding', async () => {
    assert.deepEqual(await lastExecutorResult(executor([], { success: true })), { success: true });
  });

  it('takes the last yielded value when the generator returns nothing', async () => {
    assert.deepEqual(await lastExecutorResult(executor([{ success: true }, { success: false }])), { success: false });
  });

  it('prefers a returned value over the values yielded before it', async () => {
    assert.deepEqual(await lastExecutorResult(executor([{ success: false }], { success: true })), { success: true });
  });

  it('is undefined for an iterator that yields and returns nothing', async () => {
    assert.equal(await lastExecutorResult(executor([])), undefined);
  });
});
