import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnsupportedNxError } from '../errors';
import { checkNxVersion, installedNxVersion, isSupportedNxVersion } from './version';

describe('checkNxVersion', () => {
  it('accepts nx 22, 23 and 24', () => {
    for (const version of ['22.0.0', '22.7.12', '23.2.1', '24.0.6']) assert.ok(isSupportedNxVersion(version), version);
    assert.doesNotThrow(() => checkNxVersion(installedNxVersion()));
  });

  it('refuses other majors with the supported range and what to do', () => {
    for (const version of ['21.6.0', '25.0.0']) {
      assert.throws(
        () => checkNxVersion(version),
        (error: unknown) =>
          error instanceof UnsupportedNxError &&
          error.message.includes(`nx ${version}`) &&
          error.message.includes('>=22.0.0 <25') &&
          error.message.includes('nx migrate'),
      );
    }
  });
});
