/**
 * A task output of 200 MiB that does not compress, through the S3 store: the agent packs and
 * uploads it, the coordinator downloads, checks and extracts it, and the coordinator's memory grows
 * by much less than the archive, since the archive only ever passes through as a stream.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startS3, type TestS3 } from '../src/test-support/s3-server';
import { Cluster } from './support/cluster';
import { useClusterTestbed } from './support/cluster-testbed';
import { runMeasured, type MeasuredRun } from './support/measure-peak';
import { parallelTarget, type TargetSpec } from './support/workspace';

const MIB = 1024 * 1024;
const BIG_MIB = 200;
const OUTPUT = (project: string): string => `dist/libs/${project}/random.bin`;

/** `tools/random`: writes `mib` MiB of random bytes, a MiB at a time, to dist/libs/<project>/random.bin. */
const RANDOM_FILES: Record<string, string> = {
  'tools/random/package.json': JSON.stringify({ name: 'random', private: true, executors: './executors.json' }),
  'tools/random/executors.json': JSON.stringify({
    executors: { random: { implementation: './random.js', schema: './schema.json', description: 'Random bytes.' } },
  }),
  'tools/random/schema.json': JSON.stringify({
    version: 2,
    type: 'object',
    properties: {},
    additionalProperties: true,
  }),
  'tools/random/random.js': String.raw`
const { randomBytes } = require('crypto');
const fs = require('fs');
const path = require('path');
module.exports = async function random(options, context) {
  const out = path.join(context.root, 'dist/libs', context.projectName);
  fs.mkdirSync(out, { recursive: true });
  const fd = fs.openSync(path.join(out, 'random.bin'), 'w');
  for (let i = 0; i < options.mib; i++) fs.writeSync(fd, randomBytes(1024 * 1024));
  fs.closeSync(fd);
  return { success: true };
};
`,
};

function sha256(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(MIB);
  for (let read; (read = fs.readSync(fd, buffer)) > 0;) hash.update(buffer.subarray(0, read));
  fs.closeSync(fd);
  return hash.digest('hex');
}

describe(`a task output of ${BIG_MIB} MiB through the S3 store`, () => {
  const testbed = useClusterTestbed();
  let s3: TestS3;
  let cluster: Cluster;
  let small: MeasuredRun;
  let big: MeasuredRun;
  before(async () => {
    s3 = await startS3(['artifacts']);
    const random = (mib: number): TargetSpec => ({
      executor: './tools/random:random',
      options: { mib },
    });
    const runner = (project: string): TargetSpec =>
      parallelTarget({ projects: [project], parallelBackend: 'distributed', artifactStore: 's3://artifacts/ci' });
    cluster = testbed.track(
      new Cluster(
        testbed.sandbox,
        {
          name: 'distributed-large-output',
          nxJson: { targetDefaults: { build: { cache: false, outputs: ['{workspaceRoot}/dist/{projectRoot}'] } } },
          files: RANDOM_FILES,
          projects: {
            big: { targets: { build: random(BIG_MIB) } },
            small: { targets: { build: random(1) } },
            runner: { targets: { big: runner('big'), small: runner('small') } },
          },
        },
        testbed.redis.url,
      ),
    );
    await cluster.startWorkersWith(s3.env, 'w1');
    const env = { ...cluster.env(), ...s3.env };
    small = await runMeasured(cluster.coordinator, 'runner:small', env);
    big = await runMeasured(cluster.coordinator, 'runner:big', env);
  });
  after(() => s3.stop());

  test('arrives whole, and the coordinator holds no copy of it in memory', () => {
    assert.equal(small.run.code, 0, small.run.output.slice(-2000));
    assert.equal(big.run.code, 0, big.run.output.slice(-2000));
    const restored = path.join(cluster.coordinator.root, OUTPUT('big'));
    assert.equal(fs.statSync(restored).size, BIG_MIB * MIB);
    assert.equal(sha256(restored), sha256(path.join(cluster.machine('w1').root, OUTPUT('big'))));
    assert.ok(small.peak > 0 && big.peak > 0, 'the executor process was not measured');
    // An archive held whole would add at least its own size, 200 MiB, to the peak. Measured: about
    // 55 MB of garbage-collector and allocator slack from the chunks passing through.
    const growth = big.peak - small.peak;
    assert.ok(growth < (BIG_MIB / 2) * MIB, `peak ${big.peak} vs ${small.peak} bytes: grew by ${growth}`);
  });
});
