/**
 * Generates `src/executor/options.generated.ts` from `schema.json`.
 * `npm run codegen` writes it; `renderOptionsType()` is also used by the test that fails when it is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

export const repoRoot = join(__dirname, '..');
export const generatedOptionsPath = join(repoRoot, 'src/executor/options.generated.ts');

export async function renderOptionsType(): Promise<string> {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schema.json'), 'utf8')) as JSONSchema;
  return compile(schema, 'ParallelExecutorOptions', {
    bannerComment: '/* Generated from schema.json by `npm run codegen`. Do not edit by hand. */',
    additionalProperties: false,
    style: { singleQuote: true, printWidth: 100 },
  });
}

if (require.main === module) {
  void renderOptionsType().then((text) => writeFileSync(generatedOptionsPath, text));
}
