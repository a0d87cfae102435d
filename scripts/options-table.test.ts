import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readmePath, renderOptionsTable, renderReadme } from './options-table';

test('the README options table is the one schema.json gives (run `npm run docs` to update it)', async () => {
  assert.equal(readFileSync(readmePath, 'utf8'), await renderReadme());
});

test('the table has a row per option, with its alias, default and description', () => {
  const table = renderOptionsTable({
    properties: { nWorkers: { description: 'How many | workers.', default: 'auto', aliases: ['n'] }, flag: {} },
  });
  assert.deepEqual(table.split('\n').slice(2), [
    '| `nWorkers` (`-n`) | `"auto"` | How many \\| workers. |',
    '| `flag` |  |  |',
  ]);
});
