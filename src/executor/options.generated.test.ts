import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generatedOptionsPath, renderOptionsType, repoRoot } from '../../scripts/codegen';

interface SchemaProperty {
  description?: string;
  aliases?: string[];
}

const schema = JSON.parse(readFileSync(join(repoRoot, 'schema.json'), 'utf8')) as {
  properties: Record<string, SchemaProperty>;
};

/** Flags `nx run` consumes before an executor sees them (nx 24.0.6), listed in DESIGN.md. */
const TAKEN_BY_NX_RUN = [
  'exclude',
  'excludeTaskDependencies',
  'parallel',
  'maxParallel',
  'runner',
  'prod',
  'graph',
  'nxBail',
  'nxIgnoreCycles',
  'skipNxCache',
  'disableNxCache',
  'skipRemoteCache',
  'disableRemoteCache',
  'skipSync',
  'cloud',
  'dte',
  'useAgents',
  'verbose',
  'outputStyle',
  'batch',
  'tui',
  'tuiAutoExit',
  'project',
  'p',
  'target',
  't',
  'help',
  'c',
];

describe('options.generated.ts', () => {
  it('matches schema.json', async () => {
    const expected = await renderOptionsType();
    const actual = readFileSync(generatedOptionsPath, 'utf8');
    assert.ok(
      actual === expected,
      'src/executor/options.generated.ts is stale: run `npm run codegen` and commit the result.',
    );
  });
});

describe('schema.json', () => {
  it('describes every option', () => {
    for (const [name, property] of Object.entries(schema.properties)) {
      assert.ok(property.description?.trim(), `option '${name}' in schema.json has no description`);
    }
  });

  it('names no option, nor alias, after a flag that nx run consumes itself', () => {
    // `configuration` is the one exception: it is settable in the target's options only.
    const names = Object.entries(schema.properties).flatMap(([name, property]) => [name, ...(property.aliases ?? [])]);
    const comparable = (flag: string): string => flag.replace(/-/g, '').toLowerCase();
    const lower = new Set(TAKEN_BY_NX_RUN.map(comparable));
    const taken = names.filter((name) => lower.has(comparable(name)));
    assert.deepEqual(taken, [], `these options never reach the executor: ${taken.join(', ')}`);
  });
});
