/**
 * POST /v1/runs:batch: many runs in one request and one transaction
 * (docs/registry-api.md). Each run carries its own idempotency key and gets
 * the answer POST /v1/runs would have given it alone; a bad run refuses only
 * itself. The batch itself needs no Idempotency-Key: a resent batch is a
 * replay run by run.
 */

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  BATCH_BODY_FACTOR,
  ItemKey,
  MAX_BATCH_RUNS,
  RUN_BATCH_PATH,
  RunBatchAnswer,
  RunBatchInput,
  type RunBatchResult,
} from '../../model/batch.js';
import { RunInput } from '../../model/run.js';
import { assertWrite } from '../auth.js';
import { ApiError } from '../http-error.js';
import { fingerprint, keyReused } from '../idempotency.js';
import type { RunWrite } from '../store/types.js';
import { bodyError } from '../validation.js';
import { errors, runRecord, security, siteClaimed } from './common.js';

/** What is checked before the handler: an object with a non-empty list; each entry is checked on its own. */
const Envelope = Type.Object(
  { runs: Type.Array(Type.Unknown(), { minItems: 1 }) },
  { additionalProperties: false },
);
const KeyOnly = Type.Object({ key: ItemKey });

/** The fingerprint of a run is that of POST /v1/runs with the run as its body, written compactly. */
const SINGLE_PATH = '/v1/runs';

type Checked = { key: string; run: RunInput; text: string };

/** One entry, checked as POST /v1/runs checks its body and header; an ApiError is this entry's refusal. */
function checkItem(item: unknown, runLimit: number): Checked | ApiError {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    return new ApiError(400, 'bad_request', 'body: each entry of runs must be an object {key, run}', 'body');
  const { key, run, ...rest } = item as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) return new ApiError(400, 'bad_request', `${extra}: is not a known field`, extra);
  const bad = bodyError(KeyOnly, { key }) ?? bodyError(RunInput, run);
  if (bad) return bad;
  const text = JSON.stringify(run);
  if (Buffer.byteLength(text) > runLimit)
    return new ApiError(413, 'body_too_large', 'run: larger than this registry accepts for one run', 'run');
  return { key: key as string, run: run as RunInput, text };
}

const refusal = (key: string, err: ApiError): RunBatchResult => ({
  key,
  status: err.statusCode,
  error: {
    code: err.code,
    message: err.message,
    ...(err.field ? { field: err.field } : {}),
    ...(err.params ? { params: err.params } : {}),
  },
});

export const runBatchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry } = app;
  const runLimit = app.initialConfig.bodyLimit ?? 1024 * 1024;
  const envelope = ({ httpPart }: { httpPart?: string }) =>
    httpPart === 'body'
      ? (data: unknown) => {
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
      // The envelope check passed: `runs` is a list whose entries are checked one by one below.
      const items = req.body.runs as unknown[];
      if (items.length > MAX_BATCH_RUNS)
        throw new ApiError(
          413,
          'body_too_large',
          `runs: ${items.length} runs in one batch; send at most ${MAX_BATCH_RUNS}`,
          'runs',
        );
      const nowMs = registry.now();
      const results = new Array<RunBatchResult>(items.length);
      const writes: RunWrite[] = [];
      const where: Array<{ at: number; run: RunInput }> = [];
      items.forEach((item, at) => {
        const given = (item as { key?: unknown } | null)?.key;
        const key = typeof given === 'string' ? given : '';
        try {
          const c = checkItem(item, runLimit);
          if (c instanceof ApiError) throw c;
          assertWrite(req.principal, c.run.site.unit);
          const idem = { key: c.key, fingerprint: fingerprint('POST', SINGLE_PATH, c.text) };
          writes.push({ run: runRecord(c.run, nowMs), idem });
          where.push({ at, run: c.run });
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          results[at] = refusal(key, err);
        }
      });
      const stored = await registry.store.ingestRuns(writes);
      stored.forEach((r, j) => {
        const { at, run } = where[j] as { at: number; run: RunInput };
        const key = (writes[j] as RunWrite).idem.key;
        if (r.kind === 'created') results[at] = { key, status: 201, run: r.value };
        else if (r.kind === 'replay') results[at] = { key, status: 201, run: r.value, replayed: true };
        else if (r.kind === 'key-reused') results[at] = refusal(key, keyReused());
        else if (r.kind === 'conflict')
          results[at] = refusal(key, siteClaimed(req, run.site.id, r.detail, run.site.unit));
        else results[at] = refusal(key, new ApiError(404, 'not_found', 'not found'));
      });
      return { results };
    },
  );
};
