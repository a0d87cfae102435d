/** The part of worker-farm 1.7 that nx-parallel uses (the package ships no types). */
declare module 'worker-farm' {
  import type { ChildProcess, ForkOptions } from 'node:child_process';

  namespace workerFarm {
    interface FarmOptions {
      workerOptions?: ForkOptions;
      maxCallsPerWorker?: number;
      maxConcurrentWorkers?: number;
      maxConcurrentCallsPerWorker?: number;
      maxConcurrentCalls?: number;
      maxCallTime?: number;
      maxRetries?: number;
      forcedKillTime?: number;
      autoStart?: boolean;
      onChild?: (child: ChildProcess) => void;
    }
    type Farm = (...args: unknown[]) => void;
    function end(farm: Farm, callback?: (error?: Error) => void): void;
  }
  function workerFarm(options: workerFarm.FarmOptions, path: string): workerFarm.Farm;
  export = workerFarm;
}
