import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { History, HISTORY_PATH } from './history';
import type { Notice } from '../report/notices';

describe('History', () => {
  let root: string;
  let warnings: Notice[];
  const warn = (notice: Notice): void => {
    warnings.push(notice);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nx-parallel-history-'));
    warnings = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('starts empty without a file, and keeps what it recorded', () => {
    const history = History.load(root, warn);
    assert.equal(history.estimate('a:build'), undefined);
    history.record('a:build', 100);
    history.save(warn);
    assert.equal(History.load(root, warn).estimate('a:build'), 100);
    assert.deepEqual(warnings, []);
  });

  it('smooths: a new duration moves the estimate halfway', () => {
    const history = History.load(root, warn);
    history.record('a:build', 100);
    history.record('a:build', 300);
    assert.equal(history.estimate('a:build'), 200);
  });

  it('ignores a corrupt file with a warning, and writes it anew', () => {
    const path = join(root, HISTORY_PATH);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '{"version": 1, "tasks": {"a:bu');
    const history = History.load(root, warn);
    assert.equal(history.estimate('a:build'), undefined);
    assert.equal(warnings[0]?.kind, 'history-unreadable');
    assert.match(warnings[0]?.kind === 'history-unreadable' ? warnings[0].path : '', /history\.json/);
    history.record('a:build', 50);
    history.save(warn);
    assert.equal(
      (JSON.parse(readFileSync(path, 'utf8')) as { tasks: Record<string, { ms: number }> }).tasks['a:build']?.ms,
      50,
    );
  });

  it("merges two runs of one workspace that save in turn: both runs' durations are kept", () => {
    const seed = History.load(root, warn);
    seed.record('shared:build', 100);
    seed.record('first-only:build', 100);
    seed.record('untouched:build', 70);
    seed.save(warn);
    // Both runs load the file before either saves, as two runs started together do.
    const first = History.load(root, warn);
    const second = History.load(root, warn);
    first.record('first-only:build', 300);
    first.record('a:build', 10);
    first.record('shared:build', 200);
    second.record('b:build', 20);
    second.record('shared:build', 400);
    first.save(warn);
    second.save(warn);
    const after = History.load(root, warn);
    assert.equal(after.estimate('a:build'), 10, "the first run's task is kept");
    assert.equal(after.estimate('b:build'), 20);
    assert.equal(after.estimate('first-only:build'), 200, "the second run's stale copy does not undo the first's");
    assert.equal(after.estimate('shared:build'), 250, 'the run that saves last wins for a task both ran');
    assert.equal(after.estimate('untouched:build'), 70);
    assert.deepEqual(warnings, []);
  });

  it('saves over a file that became unreadable since the run loaded it', () => {
    const history = History.load(root, warn);
    history.record('a:build', 5);
    const path = join(root, HISTORY_PATH);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'not json');
    history.save(warn);
    assert.equal(History.load(root, warn).estimate('a:build'), 5);
    assert.deepEqual(warnings, []);
  });

  it('writes atomically: no temporary file is left beside it', () => {
    const history = History.load(root, warn);
    history.record('a:build', 1);
    history.save(warn);
    assert.deepEqual(readdirSync(dirname(join(root, HISTORY_PATH))), ['history.json']);
  });

  it('warns instead of failing when the file cannot be written', () => {
    const history = History.load(root, warn);
    // A folder where the history file should be makes the rename fail.
    mkdirSync(join(root, HISTORY_PATH), { recursive: true });
    history.record('a:build', 1);
    history.save(warn);
    assert.equal(warnings[0]?.kind, 'history-unwritable');
  });
});
