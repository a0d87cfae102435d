/** The memory past which a worker is replaced between tasks (option `workerMemoryLimit`). */
import { InvalidOptionError } from '../errors';

const MB = 2 ** 20;
const UNITS: Record<string, number> = { mb: MB, gb: 2 ** 30 };

/** `workerMemoryLimit` in bytes: megabytes, "2GB", "512MB", "N%" of the memory, or `auto`. */
export function resolveMemoryLimit(value: unknown, totalMemory: number, workers: number): number {
  const accepted = 'megabytes (a number), "2GB", "512MB", "N%" of the memory, or "auto"';
  if (value === undefined || value === 'auto') return Math.max(512 * MB, Math.floor(totalMemory / (2 * workers)));
  if (typeof value === 'number' && Number.isFinite(value) && value >= 1) return Math.round(value * MB);
  if (typeof value === 'string') {
    const sized = /^([0-9]+(?:\.[0-9]+)?)\s*(mb|gb)$/i.exec(value);
    if (sized?.[1] && sized[2]) return Math.round(Number(sized[1]) * (UNITS[sized[2].toLowerCase()] ?? MB));
    const percent = /^([1-9][0-9]?)%$/.exec(value);
    if (percent) return Math.floor((totalMemory * Number(percent[1])) / 100);
  }
  throw new InvalidOptionError('workerMemoryLimit', value, accepted);
}
