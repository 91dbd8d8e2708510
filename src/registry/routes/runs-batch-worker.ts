/**
 * The batch worker: a thread that turns the body of a POST /v1/runs:batch into
 * its entries ready for the store (runs-batch-prepare.ts), so the request
 * thread's event loop spends its time on HTTP and the store
 * (docs/architecture.md, "The registry's batch worker"). A body it does not
 * take as plainly good JSON (deep nesting, text that Fastify's parser guards
 * against, a bad envelope, too many runs) goes back unread: the request
 * thread parses it as every other body, so the answers are the same.
 */
import { parentPort } from 'node:worker_threads';
import { MAX_BATCH_RUNS } from '../../model/batch.js';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../json-body.js';
import { bodyError } from '../validation.js';
import { Envelope, type Prepared, prepareItems } from './runs-batch-prepare.js';

export interface BatchJob {
  id: number;
  body: Uint8Array;
  nowMs: number;
  runLimit: number;
}
/** `prepared` undefined: the request thread reads the body itself. */
export interface BatchDone {
  id: number;
  prepared?: Prepared[];
}

function prepareBody(job: BatchJob): Prepared[] | undefined {
  const text = Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength).toString('utf8');
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) return undefined;
  // Keys that could reach a prototype, written plainly or with escapes: left to Fastify's parser.
  if (text.includes('__proto__') || text.includes('constructor') || text.includes('\\u')) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (bodyError(Envelope, data)) return undefined;
  const runs = (data as { runs: unknown[] }).runs;
  if (runs.length > MAX_BATCH_RUNS) return undefined;
  return prepareItems(runs, job.nowMs, job.runLimit);
}

const port = parentPort;
port?.on('message', (job: BatchJob) => {
  let prepared: Prepared[] | undefined;
  try {
    prepared = prepareBody(job);
  } catch {
    prepared = undefined;
  }
  port.postMessage({ id: job.id, prepared } satisfies BatchDone);
});
