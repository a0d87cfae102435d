/**
 * Installs a packed copy of the plugin into `examples/demo` and runs `shop:parallel` there.
 * Run with `npm run demo` (which builds first). The demo's package.json is left as it is, and no
 * lock file is written: npm lock files made on one platform lack nx's native binaries for others.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..');
const demoRoot = join(repoRoot, 'examples', 'demo');
// nx's postinstall is optional (it swallows its own errors); skipping it keeps npm 11 quiet.
const install = ['install', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts'];

function run(command: string, args: string[], options: SpawnSyncOptions): number {
  // npm and npx are .cmd files on Windows, which Node starts only through a shell.
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function mustRun(step: string, command: string, args: string[], options: SpawnSyncOptions): void {
  const status = run(command, args, options);
  if (status !== 0) throw new Error(`${step} failed with exit code ${status}`);
}

function main(): number {
  const packDir = mkdtempSync(join(tmpdir(), 'nx-parallel-demo-'));
  try {
    mustRun('npm pack', 'npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = join(packDir, `nx-parallel-${readVersion(repoRoot)}.tgz`);

    const manifest = readFileSync(join(demoRoot, 'package.json'), 'utf8');
    mustRun('installing the demo dependencies', 'npm', install, { cwd: demoRoot });
    mustRun('installing the packed plugin', 'npm', [...install, '--no-save', tarball], { cwd: demoRoot });
    if (readFileSync(join(demoRoot, 'package.json'), 'utf8') !== manifest) {
      throw new Error('npm changed examples/demo/package.json');
    }

    console.log('\n$ nx run shop:parallel --nWorkers=auto\n');
    return run('npx', ['nx', 'run', 'shop:parallel', '--nWorkers=auto'], {
      cwd: demoRoot,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    });
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
}

function readVersion(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
