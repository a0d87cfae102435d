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

/** The nx.json step's `defaultBase`: the commit that deletes a project. */
export const DEFAULT_BASE = 'c9';

/** The commits after c1, in order. */
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
    kind: 'a dependency range in package.json',
    change: (root) =>
      editJson<DevDependencies>(root, 'package.json', (json) => {
        json.devDependencies['tslib'] = `^${json.devDependencies['tslib'] ?? ''}`;
      }),
  },
  {
    tag: 'c6',
    kind: "the lock file (one package's entry)",
    change: (root) =>
      editJson<{ packages: Record<string, { version?: string }> }>(root, 'package-lock.json', (lock) => {
        const tslib = lock.packages['node_modules/tslib'];
        if (!tslib?.version) throw new Error('package-lock.json has no node_modules/tslib entry');
        tslib.version = `${tslib.version}-patched`;
      }),
  },
  {
    tag: 'c7',
    kind: 'the jest preset',
    change: (root) => append(root, 'jest.preset.js', '\nmodule.exports.testTimeout = 10000;\n'),
  },
  {
    tag: 'c8',
    kind: 'nx.json',
    change: (root) =>
      editJson<{ defaultBase?: string; pluginsConfig?: Record<string, unknown> }>(root, 'nx.json', (json) => {
        json.defaultBase = DEFAULT_BASE;
        // Nx 23 and 24 follow a lock file change to the packages whose entries changed, Nx 22 to
        // pnpm importers only: the majors answer the lock file step differently.
        json.pluginsConfig = { '@nx/js': { projectsAffectedByDependencyUpdates: 'auto' } };
      }),
  },
  {
    tag: DEFAULT_BASE,
    kind: 'a deleted project',
    change: (root) => fs.rmSync(path.join(root, 'apps', 'cli'), { recursive: true }),
  },
  {
    tag: 'c10',
    kind: "a project's config file and a root file of no project",
    change: (root) => {
      editJson<{ label: string }>(root, 'libs/stamp/stamp.json', (json) => {
        json.label = 'second';
      });
      writeFiles(root, { 'README.md': '# real\n' });
    },
  },
];

/** The last commit's tag. */
export const LAST_TAG = HISTORY[HISTORY.length - 1]?.tag ?? 'c1';

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
