/**
 * Makes a folder once per machine, whatever number of test processes ask for it at the same time:
 * the first takes an atomic `mkdir` lock and builds it, the others wait until its `ready` file
 * exists. A lock whose holder died is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes the lock, or returns false when a live process holds it. A dead holder's lock is taken over. */
function tryLock(lock: string): boolean {
  try {
    fs.mkdirSync(lock);
  } catch {
    const holder = Number(fs.readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
    if (holder === 0 || isAlive(holder)) return false;
    fs.rmSync(lock, { recursive: true, force: true });
    return tryLock(lock);
  }
  fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
  return true;
}

/** Resolves once `dir` is ready; `build` (which must write `dir/ready` last) runs in one process only. */
export async function installOnce(dir: string, build: () => void, waitMs: number): Promise<void> {
  const ready = path.join(dir, 'ready');
  const lock = `${dir}.lock`;
  const deadline = Date.now() + waitMs;
  while (!fs.existsSync(ready)) {
    if (tryLock(lock)) {
      try {
        if (!fs.existsSync(ready)) build();
      } finally {
        fs.rmSync(lock, { recursive: true, force: true });
      }
      return;
    }
    if (Date.now() > deadline) throw new Error(`${dir} was not ready in time (lock ${lock})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
