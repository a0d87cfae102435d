/** Reads a workspace's nx.json as Nx does (with its `extends`), outside an executor's context. */
import type { NxJsonConfiguration } from '@nx/devkit';
import type * as NxJson from 'nx/src/config/nx-json';
import { loadNxInternal } from './load';

export function readWorkspaceNxJson(root: string): NxJsonConfiguration {
  return loadNxInternal<typeof NxJson>('nx/src/config/nx-json').readNxJson(root);
}
