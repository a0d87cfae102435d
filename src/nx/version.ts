/**
 * The Nx versions nx-parallel supports, and the check every entry makes before it touches Nx's
 * internals: on an Nx outside the range the user gets one clear error, not a crash at module load.
 */
import { UnsupportedNxError } from '../errors';

/** The peer range in package.json, as users read it. */
export const SUPPORTED_NX_RANGE = '>=22.0.0 <25';
export const SUPPORTED_NX_MAJORS: readonly number[] = [22, 23, 24];

/** The version of the nx package this process loads (the workspace's own, as a peer dependency). */
export function installedNxVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('nx/package.json') as { version: string }).version;
}

export function isSupportedNxVersion(version: string): boolean {
  return SUPPORTED_NX_MAJORS.includes(Number(version.split('.')[0]));
}

/** Throws UnsupportedNxError unless the installed nx is one nx-parallel supports. */
export function checkNxVersion(version: string = installedNxVersion()): void {
  if (!isSupportedNxVersion(version)) throw new UnsupportedNxError(version, SUPPORTED_NX_RANGE);
}
