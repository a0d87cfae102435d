import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { TaskGraph } from '@nx/devkit';
import { readAll } from '../../test-support/archive-buffer';
import { writeTree } from '../../test-support/file-tree';
import type { ArtifactStore } from '../artifacts/artifact-store';
import { AgentArtifacts } from './agent-artifacts';

/** Keeps what it is given in a Map. */
class MemoryStore implements ArtifactStore {
  readonly location = 'memory';
  readonly stored = new Map<string, Buffer>();
  async put(key: string, archive: Readable): Promise<void> {
    this.stored.set(key, await readAll(archive));
  }
  get(): Promise<Readable> {
    return Promise.reject(new Error('not used here'));
  }
  delete(): Promise<void> {
    return Promise.resolve();
  }
}

function taskGraph(outputs: Record<string, string[]>): TaskGraph {
  const tasks = Object.fromEntries(
    Object.entries(outputs).map(([id, declared]) => [id, { id, outputs: declared }]),
  ) as unknown as TaskGraph['tasks'];
  return { roots: Object.keys(outputs), tasks, dependencies: {}, continuousDependencies: {} };
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'nx-parallel-agent-artifacts-'));
  await writeTree(root, { 'dist/a/out.txt': 'a' });
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('AgentArtifacts.storeOutputs', () => {
  it("stores the archive of a task's declared outputs, named by its sha256 and length", async () => {
    const store = new MemoryStore();
    const artifacts = new AgentArtifacts(store, root, taskGraph({ 'a:build': ['dist/a'] }));
    const ref = await artifacts.storeOutputs('a:build', 'run/a/1');
    const data = store.stored.get('run/a/1');
    assert.ok(data && ref);
    assert.deepEqual(ref, {
      key: 'run/a/1',
      sha256: createHash('sha256').update(data).digest('hex'),
      bytes: data.length,
    });
  });

  it('stores nothing for a task that declares no outputs', async () => {
    const store = new MemoryStore();
    const artifacts = new AgentArtifacts(store, root, taskGraph({ 'lint:check': [] }));
    assert.equal(await artifacts.storeOutputs('lint:check', 'run/lint/1'), undefined);
    assert.equal(store.stored.size, 0);
  });
});
