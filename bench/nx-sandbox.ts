/**
 * A folder in the OS temp dir with nx, @nx/devkit, typescript, the packed plugin and its optional
 * peers (the distributed backend's packages) installed, for the against-Nx and distributed parts. It is keyed by the tarball's sha256 and reused while the plugin is unchanged;
 * sandboxes of other builds are removed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './built';

export const VERSIONS = { nx: '24.0.6', '@nx/devkit': '24.0.0', typescript: '5.9.3' } as const;
const SANDBOXES = path.join(os.tmpdir(), 'nx-parallel-bench');

export interface NxSandbox {
  dir: string;
  nxBin: string;
  /** The nx version installed, as its package.json says. */
  nxVersion: string;
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** Packs the plugin as built in `dist/` (the build runs before the bench). */
function packPlugin(dest: string): { tarball: string; hash: string } {
  const packed = JSON.parse(
    run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], REPO_ROOT),
  ) as { filename: string }[];
  const tarball = path.join(dest, packed[0]?.filename ?? 'missing');
  const hash = createHash('sha256').update(fs.readFileSync(tarball)).digest('hex').slice(0, 16);
  return { tarball, hash };
}

/** The plugin's optional peers, at the versions its tests use. */
function optionalPeers(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
    peerDependenciesMeta: Record<string, { optional?: boolean }>;
  };
  return Object.entries(pkg.peerDependenciesMeta)
    .filter(([, meta]) => meta.optional)
    .map(([name]) => `${name}@${pkg.devDependencies[name] ?? 'latest'}`);
}

function install(dir: string, tarball: string): void {
  const staging = `${dir}.staging`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const copy = path.join(staging, path.basename(tarball));
  fs.copyFileSync(tarball, copy);
  fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ name: 'nx-parallel-bench', private: true }));
  const packages = [...Object.entries(VERSIONS).map(([name, version]) => `${name}@${version}`), ...optionalPeers()];
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...packages, copy], staging);
  fs.renameSync(staging, dir);
}

/** The parts of one bench run share the sandbox; packing the plugin once is enough. */
let current: NxSandbox | undefined;

export function getNxSandbox(): NxSandbox {
  return (current ??= prepareNxSandbox());
}

function prepareNxSandbox(): NxSandbox {
  fs.mkdirSync(SANDBOXES, { recursive: true });
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-bench-pack-'));
  try {
    const { tarball, hash } = packPlugin(packDir);
    const dir = path.join(SANDBOXES, hash);
    if (!fs.existsSync(dir)) install(dir, tarball);
    for (const entry of fs.readdirSync(SANDBOXES)) {
      if (entry !== hash) fs.rmSync(path.join(SANDBOXES, entry), { recursive: true, force: true });
    }
    const nxPackage = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'nx', 'package.json'), 'utf8')) as {
      version: string;
    };
    return { dir, nxBin: path.join(dir, 'node_modules', '.bin', 'nx'), nxVersion: nxPackage.version };
  } finally {
    fs.rmSync(packDir, { recursive: true, force: true });
  }
}
