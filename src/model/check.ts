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
/** The warn/fail limits a kind judged its figures against, as plain numbers (the direction is the kind's `thresholds`). */
const OutcomeLimits = Type.Object({
  warn: Type.Optional(Metrics),
  fail: Type.Optional(Metrics),
});

/**
 * One limit with its direction (`diemcau/run@2`, docs/run-format.md): `max`
 * breaks when the figure goes above it, `min` when it drops below.
 */
export const DirectedLimit = Type.Union([
  Type.Object({ max: Type.Number() }, { additionalProperties: false }),
  Type.Object({ min: Type.Number() }, { additionalProperties: false }),
]);
export type DirectedLimit = Static<typeof DirectedLimit>;

/**
 * The limits a check was judged against, per level and metric, each with its
 * direction: `{ "warn": { "rtt_ms": { "max": 150 } } }` (for Nagios perfdata
 * and reports).
 */
export const CheckLimits = Type.Object({
  warn: Type.Optional(Type.Record(Type.String(), DirectedLimit)),
  fail: Type.Optional(Type.Record(Type.String(), DirectedLimit)),
});
export type CheckLimits = Static<typeof CheckLimits>;

/**
 * The limits as the registry takes them: a `diemcau/run@1` client sends plain
 * numbers (no direction), a `diemcau/run@2` client sends `{ max }`/`{ min }`.
 */
const UploadedLimit = Type.Union([Type.Number(), DirectedLimit]);
const UploadedLimits = Type.Object({
  warn: Type.Optional(Type.Record(Type.String(), UploadedLimit)),
  fail: Type.Optional(Type.Record(Type.String(), UploadedLimit)),
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
  limits: Type.Optional(OutcomeLimits),
});
export type CheckOutcome = Static<typeof CheckOutcome>;

const { status, summary, details, error, hint } = CheckOutcome.properties;

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
  /** What the check was judged against; only limits whose direction is known (the kind's `thresholds`). */
  limits: Type.Optional(CheckLimits),
  startedAt: DateTime,
  durationMs: DurationMs,
  attempts: Type.Integer({ minimum: 0 }),
});
export type CheckResult = Static<typeof CheckResult>;

/** A result as the registry takes and gives it back: limits of `diemcau/run@2`, or of `@1` (plain numbers). */
export const UploadedCheckResult = Type.Object({
  ...CheckResult.properties,
  limits: Type.Optional(UploadedLimits),
});
export type UploadedCheckResult = Static<typeof UploadedCheckResult>;
