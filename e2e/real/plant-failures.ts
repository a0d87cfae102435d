/**
 * Plants failures in a copy of the real workspace, so that a run of `build test lint` has failed
 * tasks and skipped ones, the same under every runner:
 *
 * - `util:test` (@nx/jest:jest, explicit): one of its three tests fails;
 * - `cli:lint` (inferred by @nx/eslint/plugin): a `debugger` statement (`no-debugger`, on in
 *   @eslint/js's recommended rules that @nx/eslint-plugin's flat/javascript config includes);
 * - `models:build` (@nx/js:swc, which type-checks): a type error. `rlib:build` and `api:build:production`
 *   depend on it (`^build`) and are skipped.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface PlantedFailures {
  failed: string[];
  skipped: string[];
}

export const PLANTED: PlantedFailures = {
  failed: ['cli:lint', 'models:build', 'util:test'],
  skipped: ['api:build:production', 'rlib:build'],
};

function replaceIn(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  fs.writeFileSync(file, text.replace(from, to));
}

export function plantFailures(workspaceRoot: string): PlantedFailures {
  replaceIn(
    path.join(workspaceRoot, 'libs/util/src/lib/util.spec.ts'),
    'expect(add(2, 3)).toBe(5);',
    'expect(add(2, 3)).toBe(6);',
  );
  fs.appendFileSync(
    path.join(workspaceRoot, 'apps/cli/src/main.ts'),
    '\nexport function planted(): void {\n  debugger;\n}\n',
  );
  fs.appendFileSync(
    path.join(workspaceRoot, 'libs/models/src/lib/models.ts'),
    "\nexport const planted: number = 'not a number';\n",
  );
  return PLANTED;
}
