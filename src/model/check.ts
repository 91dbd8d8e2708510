/**
 * What a check produces: the outcome a kind's `run()` returns and the result
 * the engine makes of it (docs/run-format.md). The registry validates results
 * with the same schema, with its length limits.
 */
import { type Static, Type } from '@sinclair/typebox';
import { DateTime, DurationMs } from './atoms.js';
import { STATUSES } from './constants.js';
import { literals } from './schema-tools.js';

export { STATUSES };
export const Status = literals(STATUSES);
export type Status = Static<typeof Status>;

export const CheckError = Type.Object({
  code: Type.String({ maxLength: 100 }),
  message: Type.String({ maxLength: 4000 }),
  hint: Type.Optional(Type.String({ maxLength: 4000 })),
});
export type CheckError = Static<typeof CheckError>;

const Metrics = Type.Record(Type.String(), Type.Number());
const Summary = Type.String({ maxLength: 4000 });
/** What to try next, for warn and fail results, in the run's locale. */
const Hint = Type.String({ maxLength: 4000 });
/** The warn/fail limits the check was judged against (for Nagios perfdata and reports). */
const CheckLimits = Type.Object({
  warn: Type.Optional(Metrics),
  fail: Type.Optional(Metrics),
});

/** What a kind's run() returns; the engine adds id, timing and attempts. */
export const CheckOutcome = Type.Object({
  status: Status,
  summary: Summary,
  metrics: Type.Optional(Metrics),
  details: Type.Optional(Type.Unknown()),
  error: Type.Optional(CheckError),
  hint: Type.Optional(Hint),
  /** The effective warn/fail limits (defaults included); default: the profile's warn/fail. */
  limits: Type.Optional(CheckLimits),
});
export type CheckOutcome = Static<typeof CheckOutcome>;

const { status, summary, details, error, hint, limits } = CheckOutcome.properties;

/** One check's result: the outcome, and which check, how long, how many attempts. */
export const CheckResult = Type.Object({
  // No commas: the readiness table keeps failing ids comma-separated.
  id: Type.String({ minLength: 1, maxLength: 100, pattern: '^[^,]+$' }),
  kind: Type.String({ minLength: 1, maxLength: 100 }),
  status,
  required: Type.Boolean(),
  summary,
  metrics: Metrics,
  details,
  error,
  hint,
  limits,
  startedAt: DateTime,
  durationMs: DurationMs,
  attempts: Type.Integer({ minimum: 0 }),
});
export type CheckResult = Static<typeof CheckResult>;
