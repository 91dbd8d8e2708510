/**
 * The registry API's schemas (TypeBox). They validate every request, shape
 * every response, feed the OpenAPI document at /docs/json, and are the types
 * the CLI uses for what it sends and reads (STYLE.md 7).
 */
import { type Static, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';
import { EFFECTS, INCIDENT_CATEGORIES, INCIDENT_STATUSES, ROLES, SEVERITIES } from './categories.js';

// A union of literals (what validators and OpenAPI see) typed as the union of its values.
const literals = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  ) as unknown as TUnsafe<T[number]>;
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

// Same rules as the profile's site id and unit (src/profile/schema.ts); repeated here so the
// server does not load the check kinds.
export const SiteId = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{0,63}$',
  description: 'Site id: lower-case letters, digits, ".", "_" and "-"; at most 64 characters.',
});
export const UnitPath = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$',
  maxLength: 200,
  description: 'Hierarchy path such as thanh-hoa/bim-son/ubnd.',
});
/** A unit prefix in a query: a unit path, or empty for everything the token may see. */
export const UnitPrefix = Type.String({
  pattern: '^([a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*)?$',
  maxLength: 200,
  description: 'Unit prefix: the unit and everything under it, by whole path segments.',
});
export const DateTime = Type.String({
  format: 'date-time',
  description: 'RFC 3339 time with a zone, e.g. 2025-07-01T07:30:00+07:00',
});
/** A check or a run lasting longer than a day is a broken clock or a broken client (docs/registry-api.md). */
export const MAX_DURATION_MS = 86_400_000;
const DurationMs = Type.Integer({ minimum: 0, maximum: MAX_DURATION_MS });

export const VERDICT_VALUES = ['ready', 'degraded', 'not-ready', 'unknown'] as const;
export const Verdict = literals(VERDICT_VALUES);
export const CheckStatus = literals(['pass', 'warn', 'fail', 'skip', 'error'] as const);

const ErrorInfo = Type.Object({
  code: Type.String({ maxLength: 100 }),
  message: Type.String({ maxLength: 4000 }),
  hint: Type.Optional(Type.String({ maxLength: 4000 })),
});

const Person = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

/** One check's result (DESIGN.md section 4; src/checks/types.ts CheckResult). */
export const CheckResult = Type.Object({
  // No commas: the readiness table keeps failing ids comma-separated.
  id: Type.String({ minLength: 1, maxLength: 100, pattern: '^[^,]+$' }),
  kind: Type.String({ minLength: 1, maxLength: 100 }),
  status: CheckStatus,
  required: Type.Boolean(),
  summary: Type.String({ maxLength: 4000 }),
  metrics: Type.Record(Type.String(), Type.Number()),
  details: Type.Optional(Type.Unknown()),
  error: Type.Optional(ErrorInfo),
  hint: Type.Optional(Type.String({ maxLength: 4000 })),
  limits: Type.Optional(
    Type.Object({
      warn: Type.Optional(Type.Record(Type.String(), Type.Number())),
      fail: Type.Optional(Type.Record(Type.String(), Type.Number())),
    }),
  ),
  startedAt: DateTime,
  durationMs: DurationMs,
  attempts: Type.Integer({ minimum: 0 }),
});
export type CheckResult = Static<typeof CheckResult>;

/** The site block of a run (the profile's `site:`). */
export const RunSite = Type.Object({
  id: SiteId,
  name: Type.String({ minLength: 1, maxLength: 300 }),
  unit: UnitPath,
  level: Type.Optional(Type.String({ maxLength: 40 })),
  technician: Type.Optional(Person),
  focal_point: Type.Optional(Person),
});

/**
 * POST /v1/runs: one site's entry of the `diemcau/run@1` document printed by
 * `diemcau check --format json`, optionally with the tool that made it.
 * Unknown extra fields are accepted (newer clients) but not stored.
 */
export const RunInput = Type.Object({
  site: RunSite,
  file: Type.Optional(Type.String({ maxLength: 4096 })),
  verdict: Verdict,
  startedAt: DateTime,
  durationMs: DurationMs,
  checks: Type.Array(CheckResult, { maxItems: 500 }),
  error: Type.Optional(
    Type.Object({ code: Type.String({ maxLength: 100 }), message: Type.String({ maxLength: 4000 }) }),
  ),
  tool: Type.Optional(
    Type.Object({ name: Type.String({ maxLength: 40 }), version: Type.String({ maxLength: 40 }) }),
  ),
});
export type RunInput = Static<typeof RunInput>;

export const RunAccepted = Type.Object({
  id: Type.Integer(),
  site: SiteId,
  verdict: Verdict,
  receivedAt: DateTime,
});
export type RunAccepted = Static<typeof RunAccepted>;

export const StoredCheck = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: CheckStatus,
  required: Type.Boolean(),
  summary: Type.String(),
  metrics: Type.Record(Type.String(), Type.Number()),
  details: Type.Optional(Type.Unknown()),
  error: Type.Optional(ErrorInfo),
  hint: Type.Optional(Type.String()),
  limits: Type.Optional(
    Type.Object({
      warn: Type.Optional(Type.Record(Type.String(), Type.Number())),
      fail: Type.Optional(Type.Record(Type.String(), Type.Number())),
    }),
  ),
  startedAt: Type.String(),
  durationMs: Type.Integer(),
  attempts: Type.Integer(),
});

export const Run = Type.Object({
  id: Type.Integer(),
  site: Type.Object({ id: SiteId, name: Type.String(), unit: Type.String() }),
  verdict: Verdict,
  startedAt: DateTime,
  durationMs: Type.Integer(),
  receivedAt: DateTime,
  failing: Type.Array(Type.String()),
  checks: Type.Array(StoredCheck),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  tool: Type.Optional(Type.Object({ name: Type.String(), version: Type.String() })),
});
export type Run = Static<typeof Run>;

export const RunListQuery = Type.Object(
  {
    site: SiteId,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export const RunList = Type.Object({ items: Type.Array(Run), nextCursor: Nullable(Type.String()) });
export type RunList = Static<typeof RunList>;

// ---- incidents ------------------------------------------------------------

export const Category = literals(INCIDENT_CATEGORIES, 'Incident category (DESIGN.md section 6).');
export const Severity = literals(SEVERITIES, 'critical: meeting blocked; major: degraded; minor.');
export const Effect = literals(EFFECTS, 'Effect on the meeting.');
export const IncidentStatus = literals(INCIDENT_STATUSES);

export const IncidentInput = Type.Object(
  {
    site: Type.Object(
      { id: SiteId, name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })), unit: UnitPath },
      { additionalProperties: false },
    ),
    category: Category,
    severity: Severity,
    summary: Type.String({ minLength: 1, maxLength: 300 }),
    details: Type.Optional(Type.String({ maxLength: 10_000 })),
    occurredAt: DateTime,
    meeting: Type.Optional(Type.String({ maxLength: 300 })),
    action: Type.Optional(Type.String({ maxLength: 4000 })),
    effect: Type.Optional(Effect),
    reporter: Type.Optional(Person),
    /** The check run that showed the fault: one site's entry of a run document. */
    run: Type.Optional(RunInput),
  },
  { additionalProperties: false },
);
export type IncidentInput = Static<typeof IncidentInput>;

export const HistoryEntry = Type.Object({
  at: DateTime,
  status: IncidentStatus,
  note: Type.Optional(Type.String()),
  by: Type.Optional(Type.String()),
});
export type HistoryEntry = Static<typeof HistoryEntry>;

export const Incident = Type.Object({
  id: Type.Integer(),
  site: Type.Object({ id: SiteId, name: Type.Optional(Type.String()), unit: Type.String() }),
  category: Category,
  severity: Severity,
  summary: Type.String(),
  details: Type.Optional(Type.String()),
  occurredAt: DateTime,
  meeting: Type.Optional(Type.String()),
  action: Type.Optional(Type.String()),
  effect: Effect,
  reporter: Type.Optional(Type.Object({ name: Type.String(), phone: Type.Optional(Type.String()) })),
  run: Type.Optional(Type.Unknown()),
  status: IncidentStatus,
  createdAt: DateTime,
  updatedAt: DateTime,
  resolvedAt: Type.Optional(DateTime),
  history: Type.Array(HistoryEntry),
});
export type Incident = Static<typeof Incident>;

export const IncidentPatch = Type.Object(
  {
    status: literals(['acknowledged', 'resolved'] as const),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
    by: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type IncidentPatch = Static<typeof IncidentPatch>;

export const IncidentListQuery = Type.Object(
  {
    unit: Type.Optional(UnitPrefix),
    site: Type.Optional(SiteId),
    status: Type.Optional(IncidentStatus),
    category: Type.Optional(Category),
    since: Type.Optional(DateTime),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type IncidentListQuery = Static<typeof IncidentListQuery>;

export const IncidentList = Type.Object({ items: Type.Array(Incident), nextCursor: Nullable(Type.String()) });
export type IncidentList = Static<typeof IncidentList>;

export const IdParam = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export const SiteIdParam = Type.Object({ id: SiteId }, { additionalProperties: false });

// ---- sites ----------------------------------------------------------------

export const SiteInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 300 }),
    unit: UnitPath,
    level: Type.Optional(Type.String({ maxLength: 40 })),
    technician: Type.Optional(Person),
    focal_point: Type.Optional(Person),
  },
  { additionalProperties: false },
);
export type SiteInput = Static<typeof SiteInput>;

export const Site = Type.Object({
  id: SiteId,
  name: Type.String(),
  unit: Type.String(),
  level: Type.Optional(Type.String()),
  technician: Type.Optional(Type.Object({ name: Type.String(), phone: Type.Optional(Type.String()) })),
  focal_point: Type.Optional(Type.Object({ name: Type.String(), phone: Type.Optional(Type.String()) })),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type Site = Static<typeof Site>;

export const SiteListQuery = Type.Object(
  {
    unit: Type.Optional(UnitPrefix),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export const SiteList = Type.Object({ items: Type.Array(Site), nextCursor: Nullable(Type.String()) });
export type SiteList = Static<typeof SiteList>;

// ---- readiness ------------------------------------------------------------

export const ReadinessQuery = Type.Object(
  {
    unit: Type.Optional(UnitPrefix),
    since: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);

export const ReadinessSite = Type.Object({
  id: SiteId,
  name: Type.String(),
  unit: Type.String(),
  /** The last run's verdict; null when the site never reported. */
  verdict: Nullable(Verdict),
  /** When the last run finished (the check's clock). */
  at: Nullable(DateTime),
  runId: Nullable(Type.Integer()),
  /** Ids of the checks that failed or could not run in the last run. */
  failing: Type.Array(Type.String()),
  /** Did not report since `staleBefore`: unknown readiness, not a failure. */
  stale: Type.Boolean(),
});
export type ReadinessSite = Static<typeof ReadinessSite>;

export const Readiness = Type.Object({
  generatedAt: DateTime,
  unit: Type.String(),
  staleBefore: DateTime,
  counts: Type.Object({
    sites: Type.Integer(),
    ready: Type.Integer(),
    degraded: Type.Integer(),
    notReady: Type.Integer(),
    unknown: Type.Integer(),
    stale: Type.Integer(),
  }),
  sites: Type.Array(ReadinessSite),
});
export type Readiness = Static<typeof Readiness>;

// ---- daily verdicts (the heatmap) -------------------------------------------

export const DAILY_MAX_DAYS = 62;

export const DailyQuery = Type.Object(
  {
    unit: Type.Optional(UnitPrefix),
    days: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: DAILY_MAX_DAYS,
        default: 7,
        description: 'Calendar days ending today (in tz), oldest first.',
      }),
    ),
    tz: Type.Optional(
      Type.String({
        // A '+' left unescaped in a URL arrives as a space: taken as '+'.
        pattern: '^(Z|[+ -](0\\d|1[0-4]):[0-5]\\d)$',
        default: '+07:00',
        description:
          'UTC offset of the days, e.g. +07:00 (Vietnam, the default) or Z. Escape "+" as %2B in a URL.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const DailySite = Type.Object({
  id: SiteId,
  /** One entry per day: the worst verdict of the runs started that day, null when none. */
  verdicts: Type.Array(Nullable(Verdict)),
});
export type DailySite = Static<typeof DailySite>;

export const Daily = Type.Object({
  generatedAt: DateTime,
  unit: Type.String(),
  /** The offset the days are cut by, as ±HH:MM. */
  tz: Type.String(),
  /** YYYY-MM-DD, oldest first. */
  days: Type.Array(Type.String({ format: 'date' })),
  /** Every registered site under the unit, in the readiness report's order (unit, id). */
  sites: Type.Array(DailySite),
});
export type Daily = Static<typeof Daily>;

// ---- misc -----------------------------------------------------------------

export const Health = Type.Object({
  status: literals(['ok', 'fail'] as const),
  version: Type.String(),
  store: Type.Object({ engine: Type.String(), ok: Type.Boolean() }),
});
export type Health = Static<typeof Health>;

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    /** For 400: the offending field, as a path such as checks[0].status. */
    field: Type.Optional(Type.String()),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

export const Role = literals(ROLES);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 8,
    maxLength: 200,
    pattern: '^[A-Za-z0-9._:-]+$',
    description: 'Unique per request; a replay returns the first answer and stores nothing twice.',
  }),
});
export const OptionalIdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(IdempotencyHeaders.properties['idempotency-key']),
});
