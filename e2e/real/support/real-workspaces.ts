/**
 * The real workspaces of one test file: the plugin is packed once before its tests, and every
 * workspace made is removed after them (kept, and named, with NX_PARALLEL_REAL_KEEP=1).
 */
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import {
  createRealWorkspace,
  packPlugin,
  removeRealWorkspace,
  type Major,
  type RealWorkspace,
} from './installed-fixture';

const KEEP = process.env['NX_PARALLEL_REAL_KEEP'] === '1';

/** Registers the file's hooks; returns how its tests make a workspace. */
export function useRealWorkspaces(): (major: Major, label: string) => Promise<RealWorkspace> {
  let tarball = '';
  const workspaces: RealWorkspace[] = [];
  before(() => {
    if (!fs.existsSync(path.resolve(__dirname, '..', '..', '..', 'dist', 'index.js'))) {
      throw new Error('the plugin is not built: run `npm run build` first');
    }
    tarball = packPlugin();
  });
  after(() => {
    if (tarball) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
    for (const workspace of workspaces) {
      if (KEEP) console.log(`kept ${workspace.root}`);
      else removeRealWorkspace(workspace);
    }
  });
  return async (major, label) => {
    const created = await createRealWorkspace(major, tarball, label);
    workspaces.push(created);
    return created;
  };
}
