/**
 * The real workspace fixture (e2e/real/workspace), installed once per machine and Nx major, and fresh
 * copies of it with the packed plugin in their node_modules.
 *
 * The install is keyed by the major's entry in versions.json and the fixture's package.json, made
 * under an atomic `mkdir` lock (test files may start together) and marked ready by a file. The plugin
 * is not part of it: it changes with every build. `createRealWorkspace` copies the fixture (and the
 * major's overlay, if any) into a new folder, hardlinks the installed node_modules into it (a copy,
 * not a symlink: jest and webpack resolve real paths, and a symlinked node_modules would resolve to
 * the shared install) and unpacks the plugin tarball into node_modules/nx-parallel.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installOnce } from '../../support/install-once';

export const REAL_DIR = path.resolve(__dirname, '..');
export const REPO_ROOT = path.resolve(REAL_DIR, '..', '..');
export const FIXTURE_DIR = path.join(REAL_DIR, 'workspace');
const OVERLAYS_DIR = path.join(REAL_DIR, 'overlays');
const INSTALLS = path.join(os.tmpdir(), 'nx-parallel-real');
const WAIT_FOR_READY_MS = 15 * 60 * 1000;

export type Major = '22' | '23' | '24';
export const MAJORS: readonly Major[] = ['22', '23', '24'];

/** The majors to test: NX_PARALLEL_REAL_MAJORS (comma-separated), or every supported one. */
export function majorsToTest(): Major[] {
  const majors = (process.env['NX_PARALLEL_REAL_MAJORS'] ?? MAJORS.join(','))
    .split(',')
    .map((major) => major.trim())
    .filter(Boolean) as Major[];
  for (const major of majors) {
    if (!MAJORS.includes(major))
      throw new Error(`NX_PARALLEL_REAL_MAJORS: unknown Nx major ${major} (known: ${MAJORS.join(', ')})`);
  }
  return majors;
}

interface VersionsEntry {
  devDependencies: Record<string, string>;
  overrides?: Record<string, string>;
}

export interface InstalledFixture {
  major: Major;
  /** The folder whose node_modules holds the major's package set. */
  dir: string;
  /** The package.json the install was made with (the fixture's, with the major's versions). */
  packageJson: string;
}

export interface RealWorkspace {
  major: Major;
  root: string;
  nxBin: string;
  /** The project that owns the `parallel` target. */
  parallelProject: string;
}

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}) in ${cwd}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

function versionsEntry(major: Major): VersionsEntry {
  const versions = JSON.parse(fs.readFileSync(path.join(REAL_DIR, 'versions.json'), 'utf8')) as Record<
    string,
    VersionsEntry | undefined
  >;
  const entry = versions[major];
  if (!entry) throw new Error(`e2e/real/versions.json has no entry for Nx ${major}`);
  return entry;
}

/** The fixture's package.json with the major's devDependencies and overrides. */
function packageJsonFor(major: Major): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, 'package.json'), 'utf8')) as Record<string, unknown>;
  const entry = versionsEntry(major);
  pkg['devDependencies'] = entry.devDependencies;
  if (entry.overrides) pkg['overrides'] = entry.overrides;
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function install(dir: string, packageJson: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), packageJson);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], dir);
  fs.writeFileSync(path.join(dir, 'ready'), new Date().toISOString());
}

/** The major's package set, installed once per machine (and again when versions.json or package.json change). */
export async function getInstalledFixture(major: Major): Promise<InstalledFixture> {
  const packageJson = packageJsonFor(major);
  const hash = createHash('sha256')
    .update(JSON.stringify(versionsEntry(major)))
    .update('\0')
    .update(packageJson)
    .digest('hex')
    .slice(0, 16);
  fs.mkdirSync(INSTALLS, { recursive: true });
  const dir = path.join(INSTALLS, `${major}-${hash}`);
  await installOnce(dir, () => install(dir, packageJson), WAIT_FOR_READY_MS);
  return { major, dir, packageJson };
}

/** The plugin packed as it is built now (dist/ must be built). */
export function packPlugin(dest: string = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-real-pack-'))): string {
  const packed = JSON.parse(
    run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], REPO_ROOT),
  ) as { filename: string }[];
  return path.join(dest, packed[0]?.filename ?? 'missing');
}

function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, force: true });
}

/**
 * Unpacks the plugin tarball into node_modules/nx-parallel and installs those of its runtime
 * dependencies that the major's install lacks (nx and @nx/devkit are peers: the workspace's own are
 * used). Never a `file:` link: that would load the repository's own nx next to the workspace's.
 */
function installPlugin(root: string, tarball: string): void {
  const target = path.join(root, 'node_modules', 'nx-parallel');
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], root);
  const pkg = JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const missing = Object.entries(pkg.dependencies ?? {}).filter(
    ([name]) => !fs.existsSync(path.join(root, 'node_modules', name, 'package.json')),
  );
  if (missing.length === 0) return;
  // Installed into a side folder, then merged into node_modules: an `npm install` in the workspace
  // itself would rewrite its hardlinked node_modules (and with them the shared install).
  const side = path.join(path.dirname(target), '.nx-parallel-deps');
  const cache = path.join(
    INSTALLS,
    `plugin-deps-${createHash('sha256').update(JSON.stringify(missing)).digest('hex').slice(0, 16)}`,
  );
  if (!fs.existsSync(path.join(cache, 'ready'))) {
    fs.rmSync(side, { recursive: true, force: true });
    fs.mkdirSync(side, { recursive: true });
    fs.writeFileSync(
      path.join(side, 'package.json'),
      JSON.stringify({ name: 'nx-parallel-deps', private: true, dependencies: Object.fromEntries(missing) }),
    );
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--omit=peer'], side);
    fs.rmSync(cache, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    fs.renameSync(side, cache);
    fs.writeFileSync(path.join(cache, 'ready'), '');
  }
  for (const entry of fs.readdirSync(path.join(cache, 'node_modules'))) {
    if (entry === '.package-lock.json' || entry === '.bin') continue;
    const dest = path.join(root, 'node_modules', entry);
    if (entry.startsWith('@')) {
      fs.mkdirSync(dest, { recursive: true });
      for (const scoped of fs.readdirSync(path.join(cache, 'node_modules', entry))) {
        const scopedDest = path.join(dest, scoped);
        if (!fs.existsSync(scopedDest))
          run('cp', ['-al', path.join(cache, 'node_modules', entry, scoped), scopedDest], root);
      }
    } else if (!fs.existsSync(dest)) {
      run('cp', ['-al', path.join(cache, 'node_modules', entry), dest], root);
    }
  }
}

let workspaceCount = 0;

/**
 * A fresh workspace: the fixture and the major's overlay, node_modules hardlinked from the major's
 * install, the plugin unpacked, a `parallel` target on the `stamp` project and a git repository of
 * its own (Nx 23+ keys its cache folder on the first commit: every workspace gets its own).
 */
export async function createRealWorkspace(major: Major, pluginTarball: string, label = 'ws'): Promise<RealWorkspace> {
  const installed = await getInstalledFixture(major);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `nx-parallel-real-${major}-${label}-`));
  copyTree(FIXTURE_DIR, root);
  const overlay = path.join(OVERLAYS_DIR, major);
  if (fs.existsSync(overlay)) copyTree(overlay, root);
  fs.writeFileSync(path.join(root, 'package.json'), installed.packageJson);
  fs.copyFileSync(path.join(installed.dir, 'package-lock.json'), path.join(root, 'package-lock.json'));
  run('cp', ['-al', path.join(installed.dir, 'node_modules'), path.join(root, 'node_modules')], root);
  installPlugin(root, pluginTarball);

  const parallelProject = 'stamp';
  const projectFile = path.join(root, 'libs', parallelProject, 'project.json');
  const project = JSON.parse(fs.readFileSync(projectFile, 'utf8')) as { targets: Record<string, unknown> };
  project.targets['parallel'] = { executor: 'nx-parallel:parallel', cache: false, options: {} };
  fs.writeFileSync(projectFile, `${JSON.stringify(project, null, 2)}\n`);

  const git = (...args: string[]): string => run('git', args, root);
  git('init', '-q');
  git('config', 'user.email', 'e2e@nx-parallel.invalid');
  git('config', 'user.name', 'nx-parallel e2e');
  git('config', 'commit.gpgsign', 'false');
  git('add', '-A');
  workspaceCount += 1;
  git(
    'commit',
    '-q',
    '-m',
    `real workspace ${major} ${label} ${process.pid} ${workspaceCount} ${Date.now()} ${path.basename(root)}`,
  );

  return { major, root, nxBin: path.join(root, 'node_modules', '.bin', 'nx'), parallelProject };
}

export function removeRealWorkspace(workspace: RealWorkspace): void {
  fs.rmSync(workspace.root, { recursive: true, force: true });
}
