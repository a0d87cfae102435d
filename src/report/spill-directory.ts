/**
 * The folder under TMPDIR (`nx-parallel-output-*`) where this process keeps task outputs too large
 * to hold in memory. It is removed on every way out: by the executor when the run ends, and, should
 * the process end otherwise, on its `exit` event (synchronously, as `exit` listeners must) and on a
 * SIGINT, SIGTERM or SIGHUP that would end it.
 */
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SPILL_DIRECTORY_PREFIX = 'nx-parallel-output-';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** An open temporary file of one task's output. */
export interface SpillFile {
  fd: number;
  path: string;
}

let directory: string | undefined;
let count = 0;

/** Opens a new file in this process's spill folder, creating the folder first; throws if either fails. */
export function openSpillFile(): SpillFile {
  if (!directory) {
    directory = mkdtempSync(join(tmpdir(), SPILL_DIRECTORY_PREFIX));
    watchExit();
  }
  const path = join(directory, `${count++}.log`);
  return { fd: openSync(path, 'w+'), path };
}

/** Removes the temporary files of this process's task outputs. */
export function removeSpilledOutput(): void {
  unwatchExit();
  if (directory) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
}

const onExit = (): void => removeSpilledOutput();

/**
 * Runs before any other listener of the signal (it is prepended). With another listener there (the
 * run's interrupt handler), the process goes on and removes the folder on its way out. Alone, this
 * listener stands in for Node's default: remove the folder, then end of the signal as the process
 * would have (signal-exit's way).
 */
const onSignal = (signal: NodeJS.Signals): void => {
  if (process.listenerCount(signal) > 1) return;
  removeSpilledOutput();
  process.kill(process.pid, signal);
};

function watchExit(): void {
  process.once('exit', onExit);
  for (const signal of SIGNALS) process.prependListener(signal, onSignal);
}

function unwatchExit(): void {
  process.off('exit', onExit);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}
