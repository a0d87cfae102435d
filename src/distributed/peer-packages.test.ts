import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MissingPackagesError } from '../errors';
import { distributedPackages, requirePackages, S3_PACKAGE } from './peer-packages';

interface Manifest {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;

describe('packages of the distributed backend', () => {
  it('are optional peer dependencies, not dependencies, and dev dependencies of the same range for the tests', () => {
    for (const name of distributedPackages('s3://bucket/prefix')) {
      assert.equal(manifest.dependencies[name], undefined, `${name} is not a dependency`);
      assert.equal(manifest.peerDependenciesMeta[name]?.optional, true, `${name} is an optional peer`);
      assert.ok(manifest.peerDependencies[name], `${name} has a peer range`);
      assert.equal(manifest.devDependencies[name], manifest.peerDependencies[name], `${name}: same range`);
    }
  });

  it('include the S3 client for an s3:// artifact store only', () => {
    assert.ok(!distributedPackages('redis').includes(S3_PACKAGE));
    assert.ok(distributedPackages('s3://bucket/prefix').includes(S3_PACKAGE));
  });

  it('pass the check where they are installed', () => {
    requirePackages(distributedPackages('s3://bucket/prefix'));
  });

  it('when missing, are named with the command that installs them', () => {
    const error = new MissingPackagesError(['bullmq@^6.7.0', '@aws-sdk/client-s3@^3.1175.0']);
    assert.equal(
      error.message,
      'The distributed backend needs bullmq, @aws-sdk/client-s3, which are not installed (a local install of ' +
        'nx-parallel goes without them). Run: npm install --save-dev bullmq@^6.7.0 @aws-sdk/client-s3@^3.1175.0',
    );
  });
});
