/**
 * The git history the affected test runs over in a real workspace: on top of its first commit
 * (tagged c1), one commit per kind of change Nx's affected logic tells apart, each tagged, then a
 * change left uncommitted and a file left untracked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { commitAll, git, writeFiles } from '../../support/git-history';

export interface HistoryStep {
  tag: string;
  /** The kind of change, for test names. */
  kind: string;
  change: (root: string) => void;
}

interface TsConfig {
  compilerOptions: { paths: Record<string, string[]>; target: string };
}
interface DevDependencies {
  devDependencies: Record<string, string>;
}

function editJson<T>(root: string, file: string, edit: (json: T) => void): void {
  const full = path.join(root, file);
  const json = JSON.parse(fs.readFileSync(full, 'utf8')) as T;
  edit(json);
  fs.writeFileSync(full, `${JSON.stringify(json, null, 2)}\n`);
}

function append(root: string, file: string, text: string): void {
  fs.appendFileSync(path.join(root, file), text);
}

/** The commits after c1, in order; the nx.json step sets `defaultBase` to c8. */
export const HISTORY: readonly HistoryStep[] = [
  {
    tag: 'c2',
    kind: "a project's source file",
    change: (root) => append(root, 'libs/util/src/lib/util.ts', '\nexport const utilVersion = 2;\n'),
  },
  {
    tag: 'c3',
    kind: 'a tsconfig path',
    change: (root) =>
      editJson<TsConfig>(root, 'tsconfig.base.json', (json) => {
        json.compilerOptions.paths['@real/rlib/lib'] = ['./libs/rlib/src/lib/rlib.ts'];
      }),
  },
  {
    tag: 'c4',
    kind: 'a root tsconfig option',
    change: (root) =>
      editJson<TsConfig>(root, 'tsconfig.base.json', (json) => {
        json.compilerOptions.target = 'es2020';
      }),
  },
  {
    tag: 'c5',
    kind: 'a dependency in package.json and the lock file',
    change: (root) => {
      const range = (json: DevDependencies): void => {
        json.devDependencies['@swc/helpers'] = `~${json.devDependencies['@swc/helpers'] ?? ''}`;
      };
      editJson(root, 'package.json', range);
      editJson<{ packages: Record<string, DevDependencies> }>(root, 'package-lock.json', (lock) => {
        const rootPackage = lock.packages[''];
        if (rootPackage) range(rootPackage);
      });
    },
  },
  {
    tag: 'c6',
    kind: 'the jest preset',
    change: (root) => append(root, 'jest.preset.js', '\nmodule.exports.testTimeout = 10000;\n'),
  },
  {
    tag: 'c7',
    kind: 'nx.json',
    change: (root) =>
      editJson<{ defaultBase?: string }>(root, 'nx.json', (json) => {
        json.defaultBase = 'c8';
      }),
  },
  {
    tag: 'c8',
    kind: 'a deleted project',
    change: (root) => fs.rmSync(path.join(root, 'apps', 'cli'), { recursive: true }),
  },
  {
    tag: 'c9',
    kind: "a project's config file and a root file of no project",
    change: (root) => {
      editJson<{ label: string }>(root, 'libs/stamp/stamp.json', (json) => {
        json.label = 'second';
      });
      writeFiles(root, { 'README.md': '# real\n' });
    },
  },
];

/** Tags the first commit c1, commits HISTORY, then leaves vlib changed and a models file untracked. */
export function writeAffectedHistory(root: string): void {
  git(root, ['tag', 'c1']);
  for (const step of HISTORY) {
    step.change(root);
    commitAll(root, step.tag);
  }
  append(root, 'libs/vlib/src/lib/vlib.ts', '\nexport const vlibVersion = 2;\n');
  writeFiles(root, { 'libs/models/src/lib/extra.ts': 'export const extra = 1;\n' });
}
