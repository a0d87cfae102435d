/**
 * A throwaway Redis for tests: Debian's `redis-server` on 127.0.0.1 at a free port, with a password,
 * nothing persisted. Fails loudly, with how to install it, where `redis-server` is missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';

export interface TestRedis {
  /** `redis://:<password>@127.0.0.1:<port>` (`rediss://` with TLS) */
  url: string;
  /** With TLS: the PEM file of the CA that signed the server's certificate. */
  caFile?: string;
  port: number;
  password: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export const REDIS_MISSING =
  'redis-server is not installed, and the distributed backend is tested against a real Redis. ' +
  'Install it (Debian/Ubuntu: `apt-get install -y redis-server`; macOS: `brew install redis`) and run the tests again.';

/** A port nothing listens on (it did a moment ago). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function answersPing(port: number, password: string, ca: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = ca
      ? tlsConnect({ port, host: '127.0.0.1', ca: readFileSync(ca) })
      : createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.once('error', () => resolve(false));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('PONG')) {
        socket.destroy();
        resolve(true);
      }
    });
    socket.once(ca ? 'secureConnect' : 'connect', () => socket.write(`AUTH ${password}\r\nPING\r\n`));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function openssl(args: string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
}

/** A CA and a certificate for 127.0.0.1 signed by it, in a new folder. */
function makeCertificates(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nx-parallel-redis-tls-'));
  const days = ['-days', '2'];
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca-key.pem',
      '-out',
      'ca.pem',
      ...days,
      '-subj',
      '/CN=nx-parallel test CA',
    ],
    dir,
  );
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'req.pem',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'req.pem',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-out',
      'cert.pem',
      ...days,
      '-copy_extensions',
      'copy',
    ],
    dir,
  );
  return dir;
}

export async function startRedis(options: { tls?: boolean } = {}): Promise<TestRedis> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error(REDIS_MISSING);
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const certs = options.tls ? makeCertificates() : undefined;
  const caFile = certs && join(certs, 'ca.pem');
  const listen = certs
    ? ['--port', '0', '--tls-port', String(port), '--tls-auth-clients', 'no']
        .concat(['--tls-cert-file', join(certs, 'cert.pem'), '--tls-key-file', join(certs, 'key.pem')])
        .concat(['--tls-ca-cert-file', join(certs, 'ca.pem')])
    : ['--port', String(port)];
  const child = spawn(
    'redis-server',
    [...listen, '--bind', '127.0.0.1', '--requirepass', password, '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve())).then(
    () => certs && rmSync(certs, { recursive: true, force: true }),
  );
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port, password, caFile))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `${certs ? 'rediss' : 'redis'}://:${password}@127.0.0.1:${port}`,
    caFile,
    port,
    password,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
