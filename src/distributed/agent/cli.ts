#!/usr/bin/env node
/**
 * `nx-parallel worker`: the command that runs on every machine of a distributed run, in a checkout
 * of the same workspace with its dependencies installed.
 */
import { availableParallelism, hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { checkNxVersion } from '../../nx/version';
import { BASE_PACKAGES, requirePackages } from '../peer-packages';
import { parseAgentTiming } from './agent-timing';

const USAGE = `Usage: nx-parallel worker [options]

Serves the runs of nx-parallel's distributed backend, one after the other, from this checkout.

  --redis <url>          the coordinator's Redis (default: env NX_PARALLEL_REDIS_URL); rediss:// for TLS
  --tls-ca <file>        PEM file of the CA that signed Redis's certificate (default: env NX_PARALLEL_REDIS_CA_FILE)
  --concurrency <n>      tasks at a time (default: the number of CPUs, ${availableParallelism()} here)
  --name <id>            how the coordinator names this worker (default: <host>-<pid>)
  --runs <n>             stop after serving n runs (CI: 1)
  --idle-timeout <s>     stop after s seconds without a run to serve
  --cwd <dir>            the workspace root (default: the current directory)
`;

function positiveInteger(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${option} takes an integer >= 1, not '${value}'.`);
  return parsed;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      redis: { type: 'string' },
      'tls-ca': { type: 'string' },
      concurrency: { type: 'string' },
      name: { type: 'string' },
      runs: { type: 'string' },
      'idle-timeout': { type: 'string' },
      cwd: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals[0] !== 'worker' || positionals.length > 1) throw new Error(`Unknown command.\n\n${USAGE}`);
  const url = values.redis ?? process.env.NX_PARALLEL_REDIS_URL;
  if (!url) throw new Error('No Redis: pass --redis <url> or set NX_PARALLEL_REDIS_URL.');
  // No flag: a secret on the command line would show in every process list.
  const secret = process.env.NX_PARALLEL_SECRET || undefined;
  if (secret !== undefined && secret.length < 16) throw new Error('NX_PARALLEL_SECRET must be at least 16 characters.');
  const idleSeconds = positiveInteger(values['idle-timeout'], 'idle-timeout');
  // Internal, for the tests: not a stable interface, so no flag.
  const timing = parseAgentTiming(process.env.NX_PARALLEL_AGENT_TIMING, 'NX_PARALLEL_AGENT_TIMING');
  const root = values.cwd ?? process.cwd();
  // Nx finds the workspace from the current directory when its modules load.
  process.chdir(root);
  process.env.NX_DAEMON ??= 'false';
  checkNxVersion();
  requirePackages(BASE_PACKAGES);
  const { serveRuns } = await import('./serve-runs');
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await serveRuns({
    redis: { url, caFile: values['tls-ca'] ?? process.env.NX_PARALLEL_REDIS_CA_FILE },
    root: process.cwd(),
    workerId: values.name ?? `${hostname()}-${process.pid}`,
    concurrency: positiveInteger(values.concurrency, 'concurrency') ?? availableParallelism(),
    secret,
    runs: positiveInteger(values.runs, 'runs'),
    idleTimeoutMs: idleSeconds === undefined ? undefined : idleSeconds * 1000,
    timing,
    signal: controller.signal,
    log: (line) => process.stderr.write(`[nx-parallel worker] ${line}\n`),
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`nx-parallel: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
