export * from './lib/rlib';
