import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { RunConflictError } from '../errors';
import { claimTasks, runsDirectory, type ClaimRequest } from './workspace-runs';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

function workspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-runs-'));
  roots.push(root);
  return root;
}

const request = (root: string, over: Partial<ClaimRequest>): ClaimRequest => ({
  root,
  owner: 'app:parallel',
  taskIds: ['lib:build', 'app:build'],
  wait: false,
  onWait: () => assert.fail('waited'),
  pollMs: 1,
  isAlive: () => true,
  ...over,
});

describe('one run per task in a workspace', () => {
  it('lets runs with disjoint tasks go together, and removes a claim on release', async () => {
    const root = workspace();
    const first = await claimTasks(request(root, { pid: 1 }));
    const second = await claimTasks(request(root, { pid: 2, owner: 'web:parallel', taskIds: ['web:build'] }));
    assert.equal(fs.readdirSync(runsDirectory(root)).filter((f) => f.endsWith('.json')).length, 2);
    first();
    second();
    assert.deepEqual(fs.readdirSync(runsDirectory(root)), []);
  });

  it('refuses a run sharing tasks with a live one, naming it, when asked not to wait', async () => {
    const root = workspace();
    await claimTasks(request(root, { pid: 1 }));
    await assert.rejects(
      claimTasks(request(root, { pid: 2, owner: 'other:parallel', taskIds: ['lib:build'] })),
      (error) => error instanceof RunConflictError && error.owner === 'app:parallel' && error.pid === 1,
    );
  });

  it('waits for the holder, saying so once, and claims when it ends', async () => {
    const root = workspace();
    const release = await claimTasks(request(root, { pid: 1 }));
    const waited: string[] = [];
    const second = await claimTasks(
      request(root, {
        pid: 2,
        owner: 'other:parallel',
        wait: true,
        onWait: (holder, shared) => {
          waited.push(`${holder.owner} ${shared.join(',')}`);
          release();
        },
      }),
    );
    assert.deepEqual(waited, ['app:parallel lib:build,app:build']);
    second();
  });

  it('drops the claim of a process that is gone', async () => {
    const root = workspace();
    await claimTasks(request(root, { pid: 1 }));
    const release = await claimTasks(request(root, { pid: 2, isAlive: (pid) => pid !== 1 }));
    assert.equal(fs.readdirSync(runsDirectory(root)).filter((f) => f.endsWith('.json')).length, 1);
    release();
  });
});
