/**
 * A throwaway Redis for tests: Debian's `redis-server` on 127.0.0.1 at a free port, with a password,
 * nothing persisted. Fails loudly, with how to install it, where `redis-server` is missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection, createServer } from 'node:net';

export interface TestRedis {
  /** `redis://:<password>@127.0.0.1:<port>` */
  url: string;
  port: number;
  password: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export const REDIS_MISSING =
  'redis-server is not installed, and the distributed backend is tested against a real Redis. ' +
  'Install it (Debian/Ubuntu: `apt-get install -y redis-server`; macOS: `brew install redis`) and run the tests again.';

function freePort(): Promise<number> {
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

function answersPing(port: number, password: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.once('error', () => resolve(false));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('PONG')) {
        socket.destroy();
        resolve(true);
      }
    });
    socket.once('connect', () => socket.write(`AUTH ${password}\r\nPING\r\n`));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startRedis(): Promise<TestRedis> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error(REDIS_MISSING);
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--requirepass', password, '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port, password))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `redis://:${password}@127.0.0.1:${port}`,
    port,
    password,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
