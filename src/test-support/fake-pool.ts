/** An in-process WorkerPool for scheduler tests: it records every call and the test settles each by hand. */
import assert from 'node:assert/strict';
import type { PoolRunResult, WorkerPool } from '../pool/worker-pool';
import type { TaskOutcome, TaskRequest } from '../worker/protocol';

/** One task handed to the fake pool; the test decides when and how it ends. */
export interface Call {
  request: TaskRequest;
  readonly settled: boolean;
  output(text: string): void;
  succeed(): void;
  fail(message?: string): void;
  /** Takes the task back as never started (the distributed backend's withdrawn job). */
  withdraw(): void;
}

/** An in-process pool: records every call and lets the test settle each one by hand. */
export class FakePool implements WorkerPool {
  readonly calls: Call[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private closed = false;

  constructor(readonly size: number) {}

  run(request: TaskRequest, onOutput: (text: string) => void): Promise<PoolRunResult> {
    assert.ok(!this.closed, 'run() after close()');
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    assert.ok(this.inFlight <= this.size, `${this.inFlight} tasks in flight on a pool of ${this.size}`);
    return new Promise((resolve) => {
      const call = {
        request,
        settled: false,
        output: onOutput,
        succeed: () => finish({ status: 'succeeded' }),
        fail: (message?: string) => finish({ status: 'failed', reason: 'executor-failed', message }),
        withdraw: () => finish({ status: 'failed', reason: 'interrupted' }, true),
      };
      const finish = (outcome: TaskOutcome, withdrawn?: true): void => {
        assert.ok(!call.settled, `${request.taskId} settled twice by the test`);
        call.settled = true;
        this.inFlight--;
        resolve({ outcome, workerId: 'fake-1', ...(withdrawn ? { withdrawn } : {}) });
      };
      this.calls.push(call);
    });
  }

  initialize(): void {}

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
  started(): string[] {
    return this.calls.map((call) => call.request.taskId);
  }

  call(taskId: string): Call {
    const call = this.calls.find((c) => c.request.taskId === taskId);
    assert.ok(call, `${taskId} was never sent to the pool; sent: ${this.started().join(', ')}`);
    return call;
  }
}
