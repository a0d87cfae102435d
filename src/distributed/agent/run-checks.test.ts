import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TaskGraph } from '@nx/devkit';
import type { InnerTaskGraph } from '../../graph/task-graph';
import { PROTOCOL_VERSION, type JobData, type RunAnnouncement } from '../protocol/job-protocol';
import { refuseJob } from './run-checks';

const fingerprint = {
  commit: 'c1',
  changes: 'clean',
  submodules: 'none',
  lockFile: 'l',
  nx: '24.0.6',
  nxParallel: '0.1.0',
};
// a <- b <- c, and d on its own
const dependencies = { 'a:build': [], 'b:build': ['a:build'], 'c:build': ['b:build'], 'd:build': [] };
const inner: InnerTaskGraph = {
  ids: Object.keys(dependencies),
  dependencies,
  taskGraph: { tasks: Object.fromEntries(Object.keys(dependencies).map((id) => [id, { id }])) } as unknown as TaskGraph,
};
const run = { runId: 'r1', fingerprint } as RunAnnouncement;
const ref = (taskId: string) => ({ taskId, key: `r1/${taskId}/1`, sha256: '0'.repeat(64), bytes: 1 });
const job = (overrides: Partial<JobData>): JobData => ({
  protocol: PROTOCOL_VERSION,
  runId: 'r1',
  seq: 1,
  taskId: 'c:build',
  fingerprint,
  dependencies: [ref('b:build'), ref('a:build')],
  ...overrides,
});

describe('refuseJob', () => {
  it('takes a job of the run with the outputs of what its task depends on, directly or not', () => {
    assert.equal(refuseJob(job({}), run, inner), undefined);
  });

  it('refuses a job of another run, of an unknown task, or with another fingerprint', () => {
    assert.deepEqual(refuseJob(job({ runId: 'r2' }), run, inner), { check: 'run', expected: 'r1', found: 'r2' });
    assert.deepEqual(refuseJob(job({ taskId: 'x:build' }), run, inner), { check: 'task' });
    const other = { ...fingerprint, commit: 'c2' };
    assert.deepEqual(refuseJob(job({ fingerprint: other }), run, inner), {
      check: 'fingerprint',
      differences: [{ field: 'commit', run: 'c1', job: 'c2' }],
    });
  });

  it('refuses outputs of a task the job does not depend on', () => {
    const refused = refuseJob(job({ dependencies: [ref('d:build')] }), run, inner);
    assert.deepEqual(refused, { check: 'dependencies', stranger: 'd:build' });
    assert.deepEqual(refuseJob(job({ taskId: 'a:build' }), run, inner), { check: 'dependencies', stranger: 'b:build' });
  });
});
