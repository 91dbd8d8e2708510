/**
 * The request thread's side of the batch worker (runs-batch-worker.ts): one
 * thread, started on the first large batch. Whatever it cannot answer (it is
 * busy with two bodies already, it failed or exited) the request thread does
 * itself, so a request is never lost with the worker.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Prepared } from './runs-batch-prepare.js';
import type { BatchDone, BatchJob } from './runs-batch-worker.js';

/** Below this a body is read on the request thread: the hop would cost more than it saves. */
export const WORKER_MIN_BYTES = 64 * 1024;
/** Bodies queued at the worker beyond which the request thread reads the next one itself. */
const MAX_QUEUED = 2;

export class BatchWorker {
  private worker: Worker | undefined;
  private next = 1;
  private readonly waiting = new Map<number, (p: Prepared[] | undefined) => void>();
  private closed = false;

  private constructor(private readonly file: string) {}

  /** Bodies read by a worker and given back ready, in this process (tests check the worker ran). */
  static handled = 0;

  /** The worker next to this module once built (dist/), or undefined (running from the sources). */
  static beside(url: string): BatchWorker | undefined {
    const file = fileURLToPath(new URL('./runs-batch-worker.js', url));
    return fs.existsSync(file) ? new BatchWorker(file) : undefined;
  }

  /** A worker from that built file. */
  static at(file: string): BatchWorker {
    return new BatchWorker(file);
  }

  /** The body's entries ready for the store, or undefined: read it on this thread. */
  prepare(body: Buffer, nowMs: number, runLimit: number): Promise<Prepared[] | undefined> {
    if (this.closed || this.waiting.size >= MAX_QUEUED) return Promise.resolve(undefined);
    const worker = this.started();
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      worker.postMessage({ id, body, nowMs, runLimit } satisfies BatchJob);
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.file);
    worker.unref();
    worker.on('message', (m: BatchDone) => {
      const resolve = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.prepared) BatchWorker.handled++;
      resolve?.(m.prepared);
    });
    const gone = () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      // What it held is read on the request thread; the next large batch starts a new worker.
      for (const resolve of this.waiting.values()) resolve(undefined);
      this.waiting.clear();
    };
    worker.on('error', gone);
    worker.on('exit', gone);
    this.worker = worker;
    return worker;
  }

  /** The worker's thread, for tests that stop it under load. */
  get thread(): Worker | undefined {
    return this.worker;
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    await worker?.terminate();
  }
}
