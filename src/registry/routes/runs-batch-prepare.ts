/**
 * What POST /v1/runs:batch does to each run before the store sees it, in one
 * place for the request's own thread and the batch worker
 * (runs-batch-worker.ts): each entry checked as POST /v1/runs checks its body
 * and header, its fingerprint taken and its lean record built. The result is
 * plain data, so it crosses to the request's thread as it is.
 */
import { Type } from '@sinclair/typebox';
import { ItemKey, type RunBatchResult } from '../../model/batch.js';
import { RunInput } from '../../model/run.js';
import { ApiError } from '../http-error.js';
import { fingerprint } from '../idempotency.js';
import type { RunWrite } from '../store/types.js';
import { bodyError } from '../validation.js';
import { runRecord } from './common.js';

/** What is checked before the entries: an object with a non-empty list; each entry is checked on its own. */
export const Envelope = Type.Object(
  { runs: Type.Array(Type.Unknown(), { minItems: 1 }) },
  { additionalProperties: false },
);
const KeyOnly = Type.Object({ key: ItemKey });

/** The fingerprint of a run is that of POST /v1/runs with the run as its body, written compactly. */
const SINGLE_PATH = '/v1/runs';

/**
 * One entry, ready for the store or refused. `late` is a refusal found after
 * the entry's own checks (a clock far off): the token's right to the unit is
 * checked before it, by the request's thread, as POST /v1/runs would.
 */
export type Prepared =
  | { at: number; refused: RunBatchResult }
  | { at: number; siteId: string; unit: string; write: RunWrite; late?: undefined }
  | { at: number; siteId: string; unit: string; write?: undefined; late: RunBatchResult };

export const refusal = (key: string, err: ApiError): RunBatchResult => ({
  key,
  status: err.statusCode,
  error: {
    code: err.code,
    message: err.message,
    ...(err.field ? { field: err.field } : {}),
    ...(err.params ? { params: err.params } : {}),
  },
});

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

/** Every entry of a batch whose envelope passed, in order. */
export function prepareItems(items: readonly unknown[], nowMs: number, runLimit: number): Prepared[] {
  return items.map((item, at): Prepared => {
    const given = (item as { key?: unknown } | null)?.key;
    const key = typeof given === 'string' ? given : '';
    const c = checkItem(item, runLimit);
    if (c instanceof ApiError) return { at, refused: refusal(key, c) };
    const siteId = c.run.site.id;
    const unit = c.run.site.unit;
    try {
      const idem = { key: c.key, fingerprint: fingerprint('POST', SINGLE_PATH, c.text) };
      return { at, siteId, unit, write: { run: runRecord(c.run, nowMs), idem } };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return { at, siteId, unit, late: refusal(key, err) };
    }
  });
}
