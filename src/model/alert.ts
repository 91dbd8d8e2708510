/**
 * An alert as the registry delivers it (docs/alerts.md): the webhook body
 * `diemcau/alert@1`, and what every other channel renders from.
 */
import { type Static, Type } from '@sinclair/typebox';
import { DateTime, Person, SiteId, UnitPath } from './atoms.js';
import { ALERT_EVENTS, CHANNEL_KINDS } from './constants.js';

// The words live in constants.ts (no imports: the CLI lists them in --help); re-exported here.
export { ALERT_EVENTS, CHANNEL_KINDS };

export const ALERT_SCHEMA = 'diemcau/alert@1';

export const ALERT_STATES = ['firing', 'resolved'] as const;

/**
 * Events of messages no rule fires: a maintenance window's notices to the
 * channels it names, `firing` when it starts and `resolved` when it ends
 * (docs/alerts.md, maintenance windows).
 */
export const NOTICE_EVENTS = ['maintenance'] as const;

const AlertSite = Type.Object({
  id: SiteId,
  name: Type.String(),
  unit: UnitPath,
  technician: Type.Union([Person, Type.Null()]),
  focalPoint: Type.Union([Person, Type.Null()]),
});

/** The window of a maintenance notice (event `maintenance`). */
const AlertMaintenance = Type.Object({
  id: Type.String(),
  /** What it covers: a unit and everything under it, or one site (the other is null). */
  unit: Type.Union([UnitPath, Type.Null()]),
  site: Type.Union([SiteId, Type.Null()]),
  from: DateTime,
  /** The planned end. */
  to: DateTime,
  /** When it was ended early (`maintenance end`), else null. */
  endedAt: Type.Union([DateTime, Type.Null()]),
  reason: Type.String(),
});

const AlertMeeting = Type.Object({
  id: Type.String(),
  title: Type.String(),
  start: DateTime,
});

/** The webhook body; e-mail, Zalo and Telegram messages are rendered from the same object. */
export const AlertMessage = Type.Object({
  schema: Type.Literal(ALERT_SCHEMA),
  /** Stable per (rule, site, episode): a reminder or a redelivery keeps it. */
  id: Type.String(),
  rule: Type.String(),
  event: Type.Union([...ALERT_EVENTS, ...NOTICE_EVENTS].map((e) => Type.Literal(e))),
  state: Type.Union(ALERT_STATES.map((s) => Type.Literal(s))),
  at: DateTime,
  site: AlertSite,
  /** One line in the reader's language: what is wrong, in the technician's words. */
  summary: Type.String(),
  /** Further lines (failing checks, the incident, how long it has lasted). */
  details: Type.Array(Type.String()),
  meeting: Type.Optional(Type.Union([AlertMeeting, Type.Null()])),
  /** A maintenance notice's window; absent from every other message. */
  maintenance: Type.Optional(AlertMaintenance),
  /** The language summary and details are written in. */
  lang: Type.Union([Type.Literal('vi'), Type.Literal('en')]),
});
export type AlertMessage = Static<typeof AlertMessage>;
