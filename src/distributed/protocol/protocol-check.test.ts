import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROTOCOL_VERSION } from './job-protocol';
import { checkJobData, checkJobResult, parseAnnouncement, parsePresence } from './protocol-check';

const fingerprint = {
  commit: 'c',
  changes: 'clean',
  submodules: 'none',
  lockFile: 'l',
  nx: '24.0.0',
  nxParallel: '0.1.0',
};
const announcement = {
  protocol: PROTOCOL_VERSION,
  runId: 'r1',
  queue: 'nx-parallel-r1',
  coordinator: 'host:1',
  fingerprint,
  selection: { targets: ['build'], projects: [], excludeProjects: [], onlySelected: false },
  graphHash: 'h',
  artifactStore: 'redis',
  lockMs: 10_000,
  taskTimeoutMs: 0,
  createdAt: 1,
  signed: false,
};

describe('protocol checks', () => {
  it('takes an announcement of this version and shape', () => {
    assert.deepEqual(parseAnnouncement(JSON.stringify(announcement)), { ok: true, value: announcement });
  });

  it('names what is wrong: not JSON, not an object, no or another version, a missing or mistyped field', () => {
    const problem = (raw: string): string => {
      const checked = parseAnnouncement(raw);
      return checked.ok ? 'ok' : checked.problem;
    };
    assert.equal(problem('not json {'), 'the announcement is not JSON');
    assert.equal(problem('[1]'), 'the announcement is not a JSON object');
    assert.equal(problem('null'), 'the announcement is not a JSON object');
    assert.match(
      problem(JSON.stringify({ ...announcement, protocol: undefined })),
      /has no protocol version, this nx-parallel speaks protocol 2/,
    );
    assert.match(
      problem(JSON.stringify({ ...announcement, protocol: 1 })),
      /has protocol 1, this nx-parallel speaks protocol 2/,
    );
    assert.equal(
      problem(JSON.stringify({ ...announcement, fingerprint: { commit: 'c' } })),
      'the announcement has no valid fingerprint',
    );
    assert.equal(
      problem(JSON.stringify({ ...announcement, lockMs: '10', selection: null })),
      'the announcement has no valid selection, lockMs',
    );
  });

  it('checks jobs, results and presence the same way', () => {
    const job = { protocol: PROTOCOL_VERSION, runId: 'r1', seq: 1, taskId: 'a:build', fingerprint, dependencies: [] };
    assert.equal(checkJobData(job).ok, true);
    assert.equal(checkJobData({ ...job, dependencies: [{ taskId: 'b' }] }).ok, false);
    const result = { protocol: PROTOCOL_VERSION, outcome: { status: 'succeeded' }, output: '', workerId: 'w1' };
    assert.equal(checkJobResult(result).ok, true);
    assert.equal(checkJobResult({ ...result, outcome: { status: 'won' } }).ok, false);
    const failed = (outcome: object): boolean =>
      checkJobResult({ ...result, outcome: { status: 'failed', ...outcome } }).ok;
    assert.equal(failed({ reason: 'executor-failed', message: 'exit 1' }), true);
    const archive = { side: 'agent', agent: 'w1', taskId: 'b:build', key: 'k', step: 'download', cause: 'gone' };
    assert.equal(failed({ reason: 'artifact-failed', ...archive }), true);
    // An agent cannot claim what only the coordinator finds, nor leave out a reason's data.
    assert.equal(failed({ reason: 'worker-lost', detected: 'lock-expired' }), false);
    assert.equal(failed({ reason: 'artifact-failed', ...archive, step: 'teleport' }), false);
    assert.equal(failed({ reason: 'artifact-failed', message: 'no data' }), false);
    assert.equal(checkJobResult('a string').ok, false);
    assert.equal(
      parsePresence(JSON.stringify({ protocol: PROTOCOL_VERSION, workerId: 'w', concurrency: 2, lastSeen: 1 })).ok,
      true,
    );
    assert.equal(parsePresence('{"workerId":"w"}').ok, false);
  });
});
