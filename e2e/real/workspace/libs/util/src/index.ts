export * from './lib/util';
