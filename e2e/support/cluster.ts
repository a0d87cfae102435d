/**
 * The machines of one distributed test: a committed coordinator workspace, worker workspaces copied
 * from it on demand, `nx-parallel worker` processes serving from them, and the shared folder their
 * tasks write to. cleanUp() ends every worker it started and removes every folder it made.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commitWorkspace, copyWorkspace, startWorker, type WorkerProcess } from './distributed';
import type { Sandbox } from './sandbox';
import { makeWorkspace, removeWorkspace, type Workspace, type WorkspaceSpec } from './workspace';

export class Cluster {
  readonly coordinator: Workspace;
  readonly shared: string;
  private readonly machines = new Map<string, Workspace>();
  private readonly workers: WorkerProcess[] = [];

  constructor(
    sandbox: Sandbox,
    spec: WorkspaceSpec,
    private readonly redisUrl: string,
  ) {
    this.coordinator = makeWorkspace(sandbox, spec);
    commitWorkspace(this.coordinator.root);
    this.shared = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-parallel-shared-'));
  }

  /** The workspace of another machine, a copy of the coordinator's as it is now. */
  machine(name: string): Workspace {
    let machine = this.machines.get(name);
    if (!machine) {
      machine = copyWorkspace(this.coordinator, name);
      this.machines.set(name, machine);
    }
    return machine;
  }

  /** Starts a worker of concurrency 1 on each machine and resolves once each waits for runs. */
  async startWorkers(...names: string[]): Promise<WorkerProcess[]> {
    return this.startWorkersWith({}, ...names);
  }

  /** As startWorkers, each worker with these env variables too. */
  async startWorkersWith(env: Record<string, string>, ...names: string[]): Promise<WorkerProcess[]> {
    const started = names.map((name) => {
      const worker = startWorker(this.machine(name), { redisUrl: this.redisUrl, name, sharedDir: this.shared, env });
      this.workers.push(worker);
      return worker;
    });
    await Promise.all(started.map((worker) => worker.waitFor(/waits for runs/)));
    return started;
  }

  /** What the coordinator's nx needs: Redis, and the folder the tasks write to. */
  env(): Record<string, string> {
    return { NX_PARALLEL_REDIS_URL: this.redisUrl, E2E_SHARED_DIR: this.shared };
  }

  /** Reads a file of the coordinator's workspace. */
  read(file: string): string {
    return fs.readFileSync(path.join(this.coordinator.root, file), 'utf8');
  }

  async cleanUp(): Promise<void> {
    for (const worker of this.workers) {
      // A stopped worker dies of SIGKILL too; SIGCONT lets it see its IPC channels close.
      worker.child.kill('SIGCONT');
      await worker.stop('SIGKILL');
    }
    // A worker's processes leave with it: their IPC channel to it closes.
    const deadline = Date.now() + 5000;
    while (this.workers.some((worker) => worker.processes().length) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const worker of this.workers) for (const pid of worker.processes()) process.kill(pid, 'SIGKILL');
    [this.coordinator, ...this.machines.values()].forEach(removeWorkspace);
    fs.rmSync(this.shared, { recursive: true, force: true });
  }
}
