export { default as parallelExecutor } from './executor/parallel';
export type { ParallelExecutorOptions } from './executor/options.generated';
