import * as path from 'path';
import { vlib } from './vlib';

// The workspace root, from this file's place in it (libs/vlib/src/lib).
const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');

describe('vlib', () => {
  it('runs with its own task environment', () => {
    expect(process.env['NX_TASK_TARGET_PROJECT']).toBe('vlib');
    expect(process.env['NX_TASK_TARGET_TARGET']).toBe('test');
    expect([undefined, 0]).toContain(process.exitCode);
  });

  it('runs in the workspace root (@nx/vitest:test)', () => {
    expect(process.cwd()).toBe(WORKSPACE_ROOT);
  });

  it('works', () => {
    expect(vlib()).toBe('vlib(util)');
  });
});
