/**
 * The packages only the distributed backend needs are optional peer dependencies of nx-parallel, so
 * a local install goes without them. The coordinator and the agent check them before loading any.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MissingPackagesError } from '../errors';

/** What both sides load whatever the artifact store. */
export const BASE_PACKAGES: readonly string[] = ['bullmq', 'ioredis', 'picomatch', 'tar'];
/** Loaded by the `s3://` artifact store only. */
export const S3_PACKAGE = '@aws-sdk/client-s3';

/** The packages a run with this (checked) `artifactStore` needs: `redis` or `s3://...`. */
export function distributedPackages(artifactStore: string): readonly string[] {
  return artifactStore === 'redis' ? BASE_PACKAGES : [...BASE_PACKAGES, S3_PACKAGE];
}

/** The peer ranges in nx-parallel's package.json (the same file from src/ and from dist/). */
function peerRanges(): Record<string, string> {
  const file = path.join(__dirname, '..', '..', 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { peerDependencies: Record<string, string> }).peerDependencies;
}

function isInstalled(name: string): boolean {
  try {
    // Resolved from here, as the distributed modules resolve their imports.
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** Throws MissingPackagesError with the install command when any of `names` is not installed. */
export function requirePackages(names: readonly string[]): void {
  const missing = names.filter((name) => !isInstalled(name));
  if (missing.length === 0) return;
  const ranges = peerRanges();
  throw new MissingPackagesError(missing.map((name) => `${name}@${ranges[name] ?? 'latest'}`));
}
