/**
 * Alert rules, channel entries, maintenance windows and the alert log: the
 * shapes of the alerts YAML (`registry serve --alerts FILE`), the API
 * (/v1/alerts/*, /v1/maintenance) and the CLI (docs/alerts.md).
 */
import { type Static, Type } from '@sinclair/typebox';
import { ALERT_EVENTS, ALERT_STATES, CHANNEL_KINDS } from './alert.js';
import { DateTime, Duration, Id, SiteId, UnitPath } from './atoms.js';
import { DELIVERY_STATES, SEVERITIES } from './constants.js';
import { literals, Nullable } from './schema-tools.js';

/** "22:00": a local time of day. */
const Clock = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
  'x-allowed': 'alerting.allowed.clock',
  description: 'A time of day, HH:MM (24 hours).',
});
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'An IANA time zone, e.g. Asia/Ho_Chi_Minh.',
});

export const QuietHours = Type.Object(
  { from: Clock, to: Clock, tz: Type.Optional(TimeZone) },
  { additionalProperties: false },
);
export type QuietHours = Static<typeof QuietHours>;

export const AlertRule = Type.Object(
  {
    id: Id,
    event: literals(ALERT_EVENTS, { allowed: 'profile.allowed.enum' }),
    /** Sites under this unit prefix (none: every unit). */
    unit: Type.Optional(UnitPath),
    site: Type.Optional(SiteId),
    channels: Type.Array(Id, { minItems: 1, maxItems: 20 }),
    /** incident-filed, incident-unresolved: the lowest severity that counts (default minor: all). */
    severity: Type.Optional(literals(SEVERITIES, { allowed: 'profile.allowed.enum' })),
    /** site-stale: hours without a result; incident-unresolved: age of the open incident. */
    after: Type.Optional(Duration),
    /** A reminder this often while the condition holds (none: no reminder). */
    repeat: Type.Optional(Duration),
    quiet: Type.Optional(QuietHours),
    /** Collect this rule's alerts into one daily message at this local time (HH:MM). */
    digest: Type.Optional(Clock),
  },
  { additionalProperties: false },
);
export type AlertRule = Static<typeof AlertRule>;

/**
 * A channel entry: id, kind, the fields every channel has (lang, digest, tz),
 * and the kind's own fields (src/alerts/channels/, docs/alerts.md, Channels),
 * secrets written as ${ENV} references, resolved only when sending.
 */
export const AlertChannel = Type.Object(
  {
    id: Id,
    kind: literals(CHANNEL_KINDS, { allowed: 'profile.allowed.enum' }),
    /** The language of the messages to this channel (default vi). */
    lang: Type.Optional(literals(['vi', 'en'] as const, { allowed: 'profile.allowed.enum' })),
    /** Everything to this channel in one daily message at this local time. */
    digest: Type.Optional(Clock),
    /** The time zone of `digest` (default Asia/Ho_Chi_Minh). */
    tz: Type.Optional(TimeZone),
  },
  { additionalProperties: true },
);
export type AlertChannel = Static<typeof AlertChannel> & Record<string, unknown>;

export const AlertsFile = Type.Object(
  {
    channels: Type.Optional(Type.Array(AlertChannel, { maxItems: 200 })),
    rules: Type.Optional(Type.Array(AlertRule, { maxItems: 500 })),
  },
  { additionalProperties: false },
);
export type AlertsFile = Static<typeof AlertsFile>;

/** Rules and channels as the registry holds them, and where they come from. */
export const AlertConfigView = Type.Object({
  source: Type.Union([Type.Literal('database'), Type.Literal('file')]),
  rules: Type.Array(AlertRule),
  channels: Type.Array(AlertChannel),
});
export type AlertConfigView = Static<typeof AlertConfigView>;

export { DELIVERY_STATES };

/** One delivery of one alert to one channel (`diemcau alert log`); never a secret. */
export const AlertLogEntry = Type.Object({
  id: Type.Integer(),
  alert: Type.String(),
  rule: Type.String(),
  event: Type.String(),
  state: literals(ALERT_STATES),
  reminder: Type.Boolean(),
  test: Type.Boolean(),
  site: Type.String(),
  unit: Type.String(),
  channel: Type.String(),
  delivery: literals(DELIVERY_STATES),
  attempts: Type.Integer(),
  at: DateTime,
  nextAt: Nullable(DateTime),
  sentAt: Nullable(DateTime),
  /** Why the last attempt failed (the channel's words, never a secret). */
  error: Nullable(Type.String()),
});
export type AlertLogEntry = Static<typeof AlertLogEntry>;
export const AlertLog = Type.Object({ items: Type.Array(AlertLogEntry) });
export type AlertLog = Static<typeof AlertLog>;

export const MaintenanceInput = Type.Object(
  {
    unit: Type.Optional(UnitPath),
    site: Type.Optional(SiteId),
    from: DateTime,
    to: DateTime,
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    /** Channels told when the window starts and when it ends (docs/alerts.md, maintenance windows). */
    notify: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 20, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type MaintenanceInput = Static<typeof MaintenanceInput>;

export const MaintenanceWindow = Type.Object({
  id: Type.Integer(),
  unit: Nullable(UnitPath),
  site: Nullable(SiteId),
  from: DateTime,
  to: DateTime,
  reason: Type.String(),
  by: Nullable(Type.String()),
  endedAt: Nullable(DateTime),
  /** The channels told at its start and end; absent when none. */
  notify: Type.Optional(Type.Array(Id)),
  /** active: now within it; planned: not yet; over: past its end or ended early. */
  state: Type.Union([Type.Literal('planned'), Type.Literal('active'), Type.Literal('over')]),
});
export type MaintenanceWindow = Static<typeof MaintenanceWindow>;
export const MaintenanceList = Type.Object({ items: Type.Array(MaintenanceWindow) });
export type MaintenanceList = Static<typeof MaintenanceList>;

/** What `alert rule test` / `alert channel test` got back: each delivery's state. */
export const AlertTestResult = Type.Object({ items: Type.Array(AlertLogEntry) });
export type AlertTestResult = Static<typeof AlertTestResult>;
