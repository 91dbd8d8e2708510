/**
 * POST /v1/runs:batch (docs/registry-api.md): many runs in one request, each
 * with its own idempotency key and its own answer, the answer POST /v1/runs
 * would have given that run alone.
 */
import { type Static, Type } from '@sinclair/typebox';
import { MAX_BATCH_RUNS } from './constants.js';
import { RunAccepted, RunInput } from './run.js';

// Plain constants in ./constants.js: the client's outbox needs them without TypeBox.
export { BATCH_BODY_FACTOR, MAX_BATCH_RUNS, RUN_BATCH_PATH } from './constants.js';

/** The Idempotency-Key of one run: the same rules as the header of POST /v1/runs. */
export const ItemKey = Type.String({
  minLength: 8,
  maxLength: 200,
  pattern: '^[A-Za-z0-9._:-]+$',
  description: 'The Idempotency-Key this run would carry alone; a replay returns its first answer.',
});

const RunBatchItem = Type.Object({ key: ItemKey, run: RunInput }, { additionalProperties: false });

export const RunBatchInput = Type.Object(
  { runs: Type.Array(RunBatchItem, { minItems: 1, maxItems: MAX_BATCH_RUNS }) },
  { additionalProperties: false },
);
export type RunBatchInput = Static<typeof RunBatchInput>;

/**
 * One run's answer, in the order sent: `status` is what POST /v1/runs would
 * have answered (201, or 400/403/409/413), with `run` on 201 and `error` (the
 * usual error body's content) otherwise. Flat optional fields, not a union, so
 * the answer is serialised without trying each branch.
 */
export const RunBatchResult = Type.Object({
  key: Type.String(),
  status: Type.Integer(),
  run: Type.Optional(RunAccepted),
  /** The key had already stored this run: its first answer, nothing stored again. */
  replayed: Type.Optional(Type.Boolean()),
  error: Type.Optional(
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      field: Type.Optional(Type.String()),
      /** As in every error body (docs/registry-api.md, error params). */
      params: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
  ),
});
export type RunBatchResult = Static<typeof RunBatchResult>;

export const RunBatchAnswer = Type.Object({ results: Type.Array(RunBatchResult) });
export type RunBatchAnswer = Static<typeof RunBatchAnswer>;
