import * as path from 'path';
import { add, util } from './util';

// The workspace root, from this file's place in it (libs/util/src/lib).
const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');

describe('util', () => {
  it('runs with its own task environment', () => {
    expect(process.env['NX_TASK_TARGET_PROJECT']).toBe('util');
    expect(process.env['NX_TASK_TARGET_TARGET']).toBe('test');
    expect([undefined, 0]).toContain(process.exitCode);
  });

  it('runs in the workspace root (@nx/jest:jest)', () => {
    expect(process.cwd()).toBe(WORKSPACE_ROOT);
  });

  it('works', () => {
    expect(util()).toBe('util');
    expect(add(2, 3)).toBe(5);
  });
});
