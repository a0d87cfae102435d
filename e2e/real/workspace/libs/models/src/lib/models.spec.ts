import * as path from 'path';
import { makeModel, models } from './models';

// The project root, from this file's place in it (src/lib).
const PROJECT_ROOT = path.resolve(__dirname, '../..');

describe('models', () => {
  it('runs with its own task environment', () => {
    expect(process.env['NX_TASK_TARGET_PROJECT']).toBe('models');
    expect(process.env['NX_TASK_TARGET_TARGET']).toBe('test');
    expect([undefined, 0]).toContain(process.exitCode);
  });

  it('runs in the project root (@nx/jest/plugin runs jest there)', () => {
    expect(process.cwd()).toBe(PROJECT_ROOT);
  });

  it('works', () => {
    expect(models()).toBe('models(util)');
    expect(makeModel(3)).toEqual({ id: 3, label: 'model-3' });
  });
});
