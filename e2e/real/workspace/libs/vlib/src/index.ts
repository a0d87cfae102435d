export * from './lib/vlib';
