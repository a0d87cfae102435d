/**
 * Loads one of Nx's internal modules (`nx/src/...`) when it is first needed, never at module load,
 * and only on an Nx this adapter supports: elsewhere the user gets the version error instead of a
 * missing module. Every internal module nx-parallel uses goes through here.
 */
import { checkNxVersion } from './version';

let checked = false;

export function loadNxInternal<T>(path: `nx/src/${string}`): T {
  if (!checked) {
    checkNxVersion();
    checked = true;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as T;
}
