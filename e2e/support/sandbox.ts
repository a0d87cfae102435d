/**
 * One folder with nx, @nx/devkit, the packed plugin and the distributed backend's packages (optional
 * peers of the plugin) installed, shared by every e2e test file of a run; a lean one goes without
 * those packages, as a local-only install does. Test files run in processes of their own and may start together: the sandbox is keyed by the
 * tarball's sha256, created once under an atomic `mkdir` lock, and reused while the plugin is
 * unchanged. Sandboxes of older builds are removed once they have not been used for a while.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installOnce } from './install-once';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SANDBOXES = path.join(os.tmpdir(), 'nx-parallel-e2e');
const UNUSED_FOR_MS = 60 * 60 * 1000;
const WAIT_FOR_READY_MS = 10 * 60 * 1000;

export interface Sandbox {
  dir: string;
  nxBin: string;
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** The range of a devDependency, as package.json gives it. */
function devRange(name: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const range = pkg.devDependencies[name];
  if (!range) throw new Error(`package.json has no devDependency ${name}`);
  return range;
}

/** The exact version of a devDependency (`^24.0.6` -> `24.0.6`). */
function devVersion(name: string): string {
  return devRange(name).replace(/^[^0-9]*/, '');
}

function packPlugin(): { tarball: string; hash: string } {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-pack-'));
  const packed = JSON.parse(
    run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], REPO_ROOT),
  ) as {
    filename: string;
  }[];
  const tarball = path.join(dest, packed[0]?.filename ?? 'missing');
  const hash = createHash('sha256').update(fs.readFileSync(tarball)).digest('hex').slice(0, 16);
  return { tarball, hash };
}

/** The optional peers of the plugin: the packages only the distributed backend needs. */
function optionalPeers(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    peerDependenciesMeta: Record<string, { optional?: boolean }>;
  };
  return Object.keys(pkg.peerDependenciesMeta).filter((name) => pkg.peerDependenciesMeta[name]?.optional);
}

function install(dir: string, tarball: string, lean: boolean): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const copy = path.join(dir, path.basename(tarball));
  fs.copyFileSync(tarball, copy);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'nx-parallel-e2e-sandbox', private: true }));
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      `nx@${devVersion('nx')}`,
      `@nx/devkit@${devVersion('@nx/devkit')}`,
      ...(lean ? [] : optionalPeers().map((name) => `${name}@${devRange(name)}`)),
      copy,
    ],
    dir,
  );
  fs.writeFileSync(path.join(dir, 'ready'), '');
}

function removeUnused(keep: string): void {
  for (const entry of fs.readdirSync(SANDBOXES)) {
    const dir = path.join(SANDBOXES, entry);
    if (dir === keep || entry.endsWith('.lock')) continue;
    const ready = path.join(dir, 'ready');
    const lastUse = fs.existsSync(ready) ? fs.statSync(ready).mtimeMs : fs.statSync(dir).mtimeMs;
    if (Date.now() - lastUse > UNUSED_FOR_MS && !fs.existsSync(`${dir}.lock`)) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * The shared sandbox for the plugin as it is packed now; `lean`: without the distributed backend's
 * packages.
 */
export async function getSandbox({ lean = false }: { lean?: boolean } = {}): Promise<Sandbox> {
  fs.mkdirSync(SANDBOXES, { recursive: true });
  const { tarball, hash } = packPlugin();
  const dir = path.join(SANDBOXES, lean ? `${hash}-lean` : hash);
  try {
    await installOnce(dir, () => install(dir, tarball, lean), WAIT_FOR_READY_MS);
  } finally {
    fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
  }
  const now = new Date();
  fs.utimesSync(path.join(dir, 'ready'), now, now);
  removeUnused(dir);
  return { dir, nxBin: path.join(dir, 'node_modules', '.bin', 'nx') };
}
