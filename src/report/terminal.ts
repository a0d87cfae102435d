/**
 * Where reporters write. The `write` function is taken when this module loads, so that output
 * capture of the `inline` backend (which wraps `process.stdout.write` while a task runs) never
 * catches what reporters print.
 */
const stdoutWrite = process.stdout.write.bind(process.stdout);

export function writeOut(text: string): void {
  stdoutWrite(text);
}

/**
 * Writes, and waits while stdout's buffer is full, so a task's large output is never all held in
 * memory on its way out.
 */
export function writeOutPaced(text: string): Promise<void> {
  if (stdoutWrite(text)) return Promise.resolve();
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
}

/**
 * Resolves once everything written so far has been handed to the OS. Nx ends the process as soon
 * as the executor returns, and output still queued on stdout would be lost.
 */
export function flushOut(): Promise<void> {
  return new Promise((resolve) => stdoutWrite('', () => resolve()));
}
