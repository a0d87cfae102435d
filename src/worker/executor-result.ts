/**
 * What Nx takes as an executor's result: the last value of its async iterator, or the value its
 * generator returns when it returns one (Nx's `getLastValueFromAsyncIterableIterator`). Executors
 * such as `@nx/rollup:rollup` and `@nx/vitest:test` yield nothing and `return { success }`; a
 * `for await` loop never sees that value.
 */
export async function lastExecutorResult<T>(results: AsyncIterable<T, unknown>): Promise<T | undefined> {
  const iterator = results[Symbol.asyncIterator]();
  let last: T | undefined;
  let yielded = false;
  for (let step = await iterator.next(); ; step = await iterator.next()) {
    // What a generator returns is not typed by its yields: Nx takes it as the result all the same.
    if (step.done) return step.value !== undefined || !yielded ? (step.value as T | undefined) : last;
    last = step.value;
    yielded = true;
  }
}
