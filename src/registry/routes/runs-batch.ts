/**
 * POST /v1/runs:batch: many runs in one request and one transaction
 * (docs/registry-api.md). Each run carries its own idempotency key and gets
 * the answer POST /v1/runs would have given it alone; a bad run refuses only
 * itself. The batch itself needs no Idempotency-Key: a resent batch is a
 * replay run by run. A large body is read and checked by the batch worker
 * (runs-batch-worker.ts) while this thread serves other requests.
 */

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BATCH_BODY_FACTOR,
  MAX_BATCH_RUNS,
  RUN_BATCH_PATH,
  RunBatchAnswer,
  RunBatchInput,
  type RunBatchResult,
} from '../../model/batch.js';
import { assertWrite } from '../auth.js';
import { ApiError } from '../http-error.js';
import { keyReused } from '../idempotency.js';
import { textBodyParser } from '../json-body.js';
import type { RunWrite } from '../store/types.js';
import { bodyError } from '../validation.js';
import { errors, security, siteClaimed } from './common.js';
import { BatchWorker, WORKER_MIN_BYTES } from './runs-batch-pool.js';
import { Envelope, type Prepared, prepareItems, refusal } from './runs-batch-prepare.js';

/** A body the worker has read: its entries, and the time they were checked against. */
const PREPARED = Symbol('prepared');
type Read = { [PREPARED]: Prepared[]; nowMs: number };
const isRead = (data: unknown): data is Read => typeof data === 'object' && data !== null && PREPARED in data;

/** false: every body on the request thread; a file: that worker, from bodies of minBytes (tests). */
export type BatchWorkerOption = false | { file: string; minBytes?: number } | undefined;

interface RunBatchOptions {
  /** Default: the worker built beside this module, for bodies of WORKER_MIN_BYTES and more. */
  worker?: BatchWorkerOption;
}

export const runBatchRoutes: FastifyPluginAsyncTypebox<RunBatchOptions> = async (app, opts) => {
  const { registry } = app;
  const runLimit = app.initialConfig.bodyLimit ?? 1024 * 1024;
  const worker =
    opts.worker === false
      ? undefined
      : opts.worker
        ? BatchWorker.at(opts.worker.file)
        : BatchWorker.beside(import.meta.url);
  const minBytes = (opts.worker ? opts.worker.minBytes : undefined) ?? WORKER_MIN_BYTES;
  if (worker) app.addHook('onClose', () => worker.close());

  // This route's own JSON parser: the raw bytes go to the worker when they are many; otherwise,
  // or when the worker gives the body back, the registry's parser as on every route.
  const parseText = textBodyParser(app.getDefaultJsonParser('error', 'error'));
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const buf = body as Buffer;
    const nowMs = registry.now();
    const read = worker && buf.length >= minBytes ? worker.prepare(buf, nowMs, runLimit) : undefined;
    if (!read) return parseText(req, buf.toString(), done);
    read.then(
      (prepared) => {
        if (prepared) done(null, { [PREPARED]: prepared, nowMs } satisfies Read);
        else parseText(req, buf.toString(), done);
      },
      (err: Error) => done(err),
    );
  });
  const envelope = ({ httpPart }: { httpPart?: string }) =>
    httpPart === 'body'
      ? (data: unknown) => {
          if (isRead(data)) return { value: data };
          const error = bodyError(Envelope, data);
          return error ? { error } : { value: data };
        }
      : (data: unknown) => ({ value: data });

  app.post(
    // `::` is a literal colon in a Fastify path.
    RUN_BATCH_PATH.replace(':', '::'),
    {
      schema: {
        operationId: 'uploadRunBatch',
        summary: `Upload up to ${MAX_BATCH_RUNS} runs, each with its own idempotency key and its own answer`,
        tags: ['runs'],
        security,
        body: RunBatchInput,
        response: { 200: RunBatchAnswer, ...errors(400, 401, 413, 415) },
      },
      bodyLimit: runLimit * BATCH_BODY_FACTOR,
      // The full schema documents the body; only the envelope refuses the whole request.
      validatorCompiler: envelope,
      onRequest: app.authenticate,
    },
    async (req) => {
      const body: unknown = req.body;
      let prepared: Prepared[];
      if (isRead(body)) prepared = body[PREPARED];
      else {
        // The envelope check passed: `runs` is a list whose entries are checked one by one.
        const items = (body as { runs: unknown[] }).runs;
        if (items.length > MAX_BATCH_RUNS)
          throw new ApiError(
            413,
            'body_too_large',
            `runs: ${items.length} runs in one batch; send at most ${MAX_BATCH_RUNS}`,
            'runs',
          );
        prepared = prepareItems(items, registry.now(), runLimit);
      }
      const results = new Array<RunBatchResult>(prepared.length);
      const writes: RunWrite[] = [];
      const where: Array<{ at: number; siteId: string; unit: string }> = [];
      for (const p of prepared) {
        if ('refused' in p) {
          results[p.at] = p.refused;
          continue;
        }
        try {
          assertWrite(req.principal, p.unit);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          results[p.at] = refusal(p.late?.key ?? (p.write as RunWrite).idem.key, err);
          continue;
        }
        if (p.late) results[p.at] = p.late;
        else {
          writes.push(p.write);
          where.push(p);
        }
      }
      const stored = await registry.store.ingestRuns(writes);
      stored.forEach((r, j) => {
        const { at, siteId, unit } = where[j] as { at: number; siteId: string; unit: string };
        const key = (writes[j] as RunWrite).idem.key;
        if (r.kind === 'created') results[at] = { key, status: 201, run: r.value };
        else if (r.kind === 'replay') results[at] = { key, status: 201, run: r.value, replayed: true };
        else if (r.kind === 'key-reused') results[at] = refusal(key, keyReused());
        else if (r.kind === 'conflict') results[at] = refusal(key, siteClaimed(req, siteId, r.detail, unit));
        else results[at] = refusal(key, new ApiError(404, 'not_found', 'not found'));
      });
      return { results };
    },
  );
};
