/**
 * The registry API's own schemas (TypeBox): queries, path parameters,
 * headers, health and the error body. The data they carry (runs, incidents,
 * sites, reports) is the model's (src/model/). Together they validate every
 * request, shape every response and feed the OpenAPI document at /docs/json.
 */
import { type Static, Type } from '@sinclair/typebox';
import { DateTime, SiteId, UnitPrefix } from '../model/atoms.js';
import { ID_PATTERN } from '../model/constants.js';
import { IncidentCategory, IncidentStatus } from '../model/incident.js';
import { MeetingStatus } from '../model/meeting.js';
import { literals } from '../model/schema-tools.js';

export const RunListQuery = Type.Object(
  {
    site: Type.Optional(SiteId),
    /** The runs tagged with a meeting (check --meeting); with no site, of every site the token may read. */
    meeting: Type.Optional(Type.String({ pattern: ID_PATTERN })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export const IncidentListQuery = Type.Object(
  {
    unit: Type.Optional(UnitPrefix),
    site: Type.Optional(SiteId),
    status: Type.Optional(IncidentStatus),
    category: Type.Optional(IncidentCategory),
    since: Type.Optional(DateTime),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type IncidentListQuery = Static<typeof IncidentListQuery>;

export const IdParam = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export const SiteIdParam = Type.Object({ id: SiteId }, { additionalProperties: false });

// ---- sites ----------------------------------------------------------------

export const SiteListQuery = Type.Object(
  {
    unit: Type.Optional(UnitPrefix),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    retired: Type.Optional(
      literals(['exclude', 'include', 'only'], {
        default: 'exclude',
        description: 'Retired sites (docs/sites.md): left out, listed with the others, or listed alone.',
      }),
    ),
  },
  { additionalProperties: false },
);

// ---- readiness ------------------------------------------------------------

export const ReadinessQuery = Type.Object(
  {
    unit: Type.Optional(UnitPrefix),
    since: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);

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

// ---- call states (roll call) -------------------------------------------------

export const CallStateQuery = Type.Object(
  {
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 1000 })),
  },
  { additionalProperties: false },
);

// ---- misc -----------------------------------------------------------------

export const Health = Type.Object({
  status: literals(['ok', 'fail']),
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
    /** What the message names (units, ids, times), for a client to say it in its own language. */
    params: Type.Optional(Type.Record(Type.String(), Type.String())),
    /** For 409 meeting_clash: the meeting it clashes with (docs/meetings.md). */
    other: Type.Optional(
      Type.Object({
        id: Type.Integer(),
        title: Type.String(),
        start: Type.String(),
        end: Type.String(),
        bridge: Type.String(),
        room: Type.Optional(Type.String()),
        on: Type.String(),
      }),
    ),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

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

// ---- meetings (docs/meetings.md) ------------------------------------------------

export const MeetingListQuery = Type.Object(
  {
    unit: Type.Optional(UnitPrefix),
    site: Type.Optional(SiteId),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    status: Type.Optional(MeetingStatus),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type MeetingListQuery = Static<typeof MeetingListQuery>;

export const MeetingReadinessQuery = Type.Object(
  {
    /** The T−15 snapshot the registry kept, instead of the readiness now. */
    snapshot: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
