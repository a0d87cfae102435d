/**
 * The set-up every distributed e2e file shares: the sandbox, one real Redis for the file, and the
 * clusters and rogue workers a test makes, cleaned up after each test (Redis emptied too, where the
 * file keeps a client of its own on it).
 */
import { after, afterEach, before } from 'node:test';
import Redis from 'ioredis';
import { startRedis, type TestRedis } from '../../src/test-support/redis-server';
import type { Cluster } from './cluster';
import type { RogueWorker } from './rogue-worker';
import { getSandbox, type Sandbox } from './sandbox';

export interface ClusterTestbed {
  readonly sandbox: Sandbox;
  readonly redis: TestRedis;
  /** A client of the file's own on Redis (with `client: true`). */
  readonly client: Redis;
  /** Cleans `cluster` up after the test; returns it. */
  track(cluster: Cluster): Cluster;
  /** Closes `rogue` after the test; returns it. */
  trackRogue(rogue: RogueWorker): RogueWorker;
}

export function useClusterTestbed(options: { client?: boolean } = {}): ClusterTestbed {
  let sandbox: Sandbox | undefined;
  let redis: TestRedis | undefined;
  let client: Redis | undefined;
  let clusters: Cluster[] = [];
  let rogues: RogueWorker[] = [];
  before(async () => {
    sandbox = await getSandbox();
    redis = await startRedis();
    if (options.client) client = new Redis(redis.url);
  });
  afterEach(async () => {
    for (const rogue of rogues) await rogue.close();
    for (const cluster of clusters) await cluster.cleanUp();
    rogues = [];
    clusters = [];
    await client?.flushall();
  });
  after(async () => {
    await client?.quit();
    await redis?.stop();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the testbed's ${what} is used before its before() hook ran`);
    return value;
  };
  return {
    get sandbox() {
      return ready(sandbox, 'sandbox');
    },
    get redis() {
      return ready(redis, 'Redis');
    },
    get client() {
      return ready(client, 'Redis client (pass client: true)');
    },
    track(cluster) {
      clusters.push(cluster);
      return cluster;
    },
    trackRogue(rogue) {
      rogues.push(rogue);
      return rogue;
    },
  };
}
