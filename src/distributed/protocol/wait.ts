/** Waiting without waiting forever: on Redis, which may be gone, and on signals. */

/** Waits `ms`, or less when the signal aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** Waits until the promise settles, at most `ms`; its outcome is not looked at. */
export async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** The promise's value, or undefined as soon as `givenUp()` says so (looked at every 250 ms). */
export async function unless<T>(promise: Promise<T>, givenUp: () => boolean): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const check = new Promise<undefined>((resolve) => {
    timer = setInterval(() => givenUp() && resolve(undefined), 250);
  });
  try {
    return await Promise.race([promise, check]);
  } finally {
    clearInterval(timer);
  }
}
