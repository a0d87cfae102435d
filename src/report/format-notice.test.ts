import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatNotice } from './format-notice';

const plain = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '');

describe('formatNotice', () => {
  it('makes a [nx-parallel] line, with the details indented below it', () => {
    assert.equal(
      plain(
        formatNotice({
          kind: 'waiting-for-run',
          owner: 'app:parallel',
          pid: 42,
          shared: ['a:build', 'b:build', 'c:build', 'd:build'],
        }),
      ),
      '[nx-parallel] Waiting for the nx-parallel run of app:parallel (pid 42) to end\n' +
        "  It is building 4 of this run's tasks (a:build, b:build, c:build, ...); never are two builds of one task run at once.\n" +
        '  Pass --waitForOtherRuns=false to refuse instead of waiting.\n',
    );
  });

  it('says whether the empty selection was of affected projects', () => {
    const notice = { kind: 'no-tasks', projects: ['app'], targets: ['lint'] } as const;
    assert.match(
      formatNotice({ ...notice, affected: false }),
      /No tasks to run: None of the selected projects \(app\) has the target\(s\) lint\./,
    );
    assert.match(
      formatNotice({ ...notice, affected: true }),
      /None of the affected projects among the selected ones \(app\)/,
    );
  });

  it('shows both fingerprints of a refusal when the checkouts differ, and what to do', () => {
    const text = plain(
      formatNotice({
        kind: 'agent-refused',
        workerId: 'w2',
        reason: 'its commit differs',
        fingerprints: { coordinator: 'commit=abc', agent: 'commit=def' },
      }),
    );
    assert.match(
      text,
      /^\[nx-parallel\] Agent w2 refused this run: its commit differs\n  coordinator: commit=abc\n  agent w2: commit=def\n  On that machine, check out/,
    );
  });

  it('prints stray output as it came', () => {
    assert.equal(formatNotice({ kind: 'stray-output', text: 'boot warning\n' }), 'boot warning\n');
  });
});
