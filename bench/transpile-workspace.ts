/**
 * An Nx workspace of projects in a layered DAG whose `build` is a local executor that loads
 * `typescript` and transpiles the project's source files into `dist/`; a `root` project depends on
 * every project and has the nx-parallel target `parallel` over all their builds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomInt, seededRandom } from './stats';

export interface TranspileWorkspaceSpec {
  levels: number;
  projectsPerLevel: number;
  filesPerProject: number;
  seed: number;
}

export interface TranspileWorkspace {
  root: string;
  projects: number;
  /** The `.js` files a complete build writes. */
  expectedOutputs: number;
}

const TRANSPILE_EXECUTOR = `
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

module.exports = async function transpile(options, context) {
  const projectRoot = context.projectsConfigurations.projects[context.projectName].root;
  const source = path.join(context.root, projectRoot, 'src');
  const out = path.join(context.root, 'dist', projectRoot);
  fs.mkdirSync(out, { recursive: true });
  for (const file of fs.readdirSync(source).filter((name) => name.endsWith('.ts'))) {
    const { outputText } = ts.transpileModule(fs.readFileSync(path.join(source, file), 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
    });
    fs.writeFileSync(path.join(out, file.replace(/\\.ts$/, '.js')), outputText);
  }
  return { success: true };
};
`;

function sourceFile(project: string, index: number): string {
  const name = `${project.replace(/-/g, '_')}_${index}`;
  return `export interface ${name}Options {
  id: number;
  label: string;
  tags: readonly string[];
  weight?: number;
}

export enum ${name}State {
  Idle,
  Busy,
  Done,
}

export class ${name}Store<T extends { id: number }> {
  private readonly items = new Map<number, T>();
  private state: ${name}State = ${name}State.Idle;

  constructor(private readonly options: ${name}Options) {}

  add(item: T): this {
    this.state = ${name}State.Busy;
    this.items.set(item.id, item);
    return this;
  }

  find(predicate: (item: T) => boolean): T | undefined {
    for (const item of this.items.values()) if (predicate(item)) return item;
    return undefined;
  }

  summary(): string {
    this.state = ${name}State.Done;
    return \`\${this.options.label}: \${this.items.size} items, weight \${this.options.weight ?? 1}\`;
  }
}

export function ${name}Total(values: readonly number[], scale = 1): number {
  return values.reduce((sum, value) => sum + value * scale, 0);
}

export const ${name}Default: ${name}Options = { id: ${index}, label: '${project}', tags: ['bench', '${project}'] };
`;
}

function writeFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export function createTranspileWorkspace(parent: string, spec: TranspileWorkspaceSpec): TranspileWorkspace {
  const root = path.join(parent, 'transpile-dag');
  fs.rmSync(root, { recursive: true, force: true });
  const random = seededRandom(spec.seed);
  writeFile(path.join(root, 'package.json'), json({ name: 'transpile-dag', private: true }));
  writeFile(
    path.join(root, 'nx.json'),
    json({ analytics: false, targetDefaults: { build: { dependsOn: ['^build'], cache: false } } }),
  );
  writeFile(
    path.join(root, 'tools/transpile/package.json'),
    json({ name: 'transpile', executors: './executors.json' }),
  );
  writeFile(
    path.join(root, 'tools/transpile/executors.json'),
    json({ executors: { transpile: { implementation: './impl.js', schema: './schema.json', description: 'tsc' } } }),
  );
  writeFile(path.join(root, 'tools/transpile/schema.json'), json({ version: 2, type: 'object', properties: {} }));
  writeFile(path.join(root, 'tools/transpile/impl.js'), TRANSPILE_EXECUTOR);
  const names: string[] = [];
  for (let level = 0; level < spec.levels; level++) {
    for (let i = 0; i < spec.projectsPerLevel; i++) {
      const name = `lib-${level}-${i}`;
      const deps = new Set<string>();
      const wanted = level === 0 ? 0 : randomInt(random, 1, 3);
      for (let d = 0; d < wanted; d++) deps.add(`lib-${level - 1}-${randomInt(random, 0, spec.projectsPerLevel - 1)}`);
      const projectRoot = `libs/${name}`;
      writeFile(
        path.join(root, projectRoot, 'project.json'),
        json({
          name,
          root: projectRoot,
          implicitDependencies: [...deps],
          targets: { build: { executor: './tools/transpile:transpile', options: {} } },
        }),
      );
      for (let f = 0; f < spec.filesPerProject; f++) {
        writeFile(path.join(root, projectRoot, 'src', `file-${f}.ts`), sourceFile(name, f));
      }
      names.push(name);
    }
  }
  writeFile(
    path.join(root, 'apps/root/project.json'),
    json({
      name: 'root',
      root: 'apps/root',
      implicitDependencies: names,
      targets: {
        parallel: { executor: 'nx-parallel:parallel', cache: false, options: { targets: ['build'], projects: ['*'] } },
      },
    }),
  );
  return { root, projects: names.length, expectedOutputs: names.length * spec.filesPerProject };
}

/** The `.js` files under the workspace's `dist/`. */
export function countOutputs(workspace: TranspileWorkspace): number {
  const dist = path.join(workspace.root, 'dist');
  if (!fs.existsSync(dist)) return 0;
  return (fs.readdirSync(dist, { recursive: true }) as string[]).filter((file) => file.endsWith('.js')).length;
}

export function removeOutputs(workspace: TranspileWorkspace): void {
  fs.rmSync(path.join(workspace.root, 'dist'), { recursive: true, force: true });
}
