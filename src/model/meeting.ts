/**
 * A meeting (cuộc họp trực tuyến) in the registry's meeting register: what a
 * coordinator books (POST /v1/meetings), how it changes (PATCH), and the
 * per-meeting readiness view (GET /v1/meetings/:id/readiness). The rules
 * (clash, notice, emergency, T−60, T−15) are in docs/meetings.md.
 */
import { type Static, Type } from '@sinclair/typebox';
import { DateTime, Person, SiteId, UnitPath } from './atoms.js';
import { EFFECTS, MEETING_FLAGS, MEETING_KINDS, MEETING_STATUSES, VERDICTS } from './constants.js';
import { literals, Nullable } from './schema-tools.js';

export { MEETING_FLAGS, MEETING_KINDS, MEETING_STATUSES };

export const MeetingKind = literals(MEETING_KINDS, {
  description: 'regular, or emergency (đột xuất, khẩn cấp): exempt from the notice rule, flagged.',
});
export type MeetingKind = Static<typeof MeetingKind>;
export const MeetingStatus = literals(MEETING_STATUSES);
export type MeetingStatus = Static<typeof MeetingStatus>;
export const MeetingFlag = literals(MEETING_FLAGS);
export type MeetingFlag = Static<typeof MeetingFlag>;

/** A bridge id of the province's defaults (`bridges:`), or a SIP URI. */
export const MeetingBridge = Type.String({
  minLength: 1,
  maxLength: 300,
  pattern: '^([a-z0-9][a-z0-9._-]{0,63}|[sS][iI][pP][sS]?:[^\\s]+)$',
  description: 'A bridge id the registry knows (registry serve --bridges), or a sip:/sips: URI.',
});

/** Who takes part: site ids and/or unit prefixes, resolved to sites at read time and frozen at start. */
export const Participants = Type.Object(
  {
    sites: Type.Optional(Type.Array(SiteId, { maxItems: 5000, uniqueItems: true })),
    units: Type.Optional(Type.Array(UnitPath, { maxItems: 100, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type Participants = Static<typeof Participants>;

const Title = Type.String({ minLength: 1, maxLength: 300 });
const Room = Type.String({ minLength: 1, maxLength: 200 });
const Notes = Type.String({ maxLength: 4000 });

/**
 * One thing a person on site confirms for this meeting (the maket's text…),
 * asked by `check --meeting ID` at its participating sites as a `confirm`
 * check `meeting-confirm-<id>` (docs/meetings.md#the-meetings-own-confirm-items).
 */
export const MeetingConfirmItem = Type.Object(
  {
    id: Type.String({
      pattern: '^[a-z0-9][a-z0-9_-]{0,39}$',
      description: 'Short id, unique in the meeting: the check is `meeting-confirm-<id>`.',
    }),
    question: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'The question as the coordinator writes it, in Vietnamese.',
    }),
    /** Default true: a "no" makes the site not ready; false: it only degrades it. */
    required: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type MeetingConfirmItem = Static<typeof MeetingConfirmItem>;
/** At most this many items per meeting. */
const MAX_MEETING_CONFIRM = 20;
export const MeetingConfirm = Type.Array(MeetingConfirmItem, { maxItems: MAX_MEETING_CONFIRM });
/** The check id a meeting's confirm item is asked and kept under. */
export const meetingConfirmCheckId = (itemId: string): string => `meeting-confirm-${itemId}`;

export const MeetingInput = Type.Object(
  {
    title: Title,
    hostUnit: UnitPath,
    start: DateTime,
    end: DateTime,
    kind: Type.Optional(MeetingKind),
    bridge: MeetingBridge,
    room: Type.Optional(Room),
    participants: Participants,
    contact: Type.Optional(Person),
    notes: Type.Optional(Notes),
    /** What a person on site confirms for this meeting (docs/meetings.md). */
    confirm: Type.Optional(MeetingConfirm),
    /** Book over a clash: kept, flagged `clash_allowed` (docs/meetings.md). */
    allowClash: Type.Optional(Type.Boolean()),
    /** Keep a meeting that already took place (history): a start in the past is refused without it. */
    record: Type.Optional(Type.Boolean()),
    /** Who books it (defaults to the token's label). */
    by: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type MeetingInput = Static<typeof MeetingInput>;

/** One change to a meeting: what, by whom, when; `changes` names each field's old and new value. */
export const MeetingEvent = Type.Object({
  at: DateTime,
  action: literals(['created', 'updated', 'cancelled', 'postponed', 'rescheduled', 'started', 'done']),
  by: Nullable(Type.String()),
  note: Type.Optional(Type.String()),
  changes: Type.Optional(
    Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() })),
  ),
});
export type MeetingEvent = Static<typeof MeetingEvent>;

export const Meeting = Type.Object({
  id: Type.Integer(),
  title: Title,
  hostUnit: UnitPath,
  start: DateTime,
  end: DateTime,
  kind: MeetingKind,
  bridge: Type.String(),
  /** The bridge's URI when `bridge` is an id the registry knows. */
  bridgeUri: Type.Optional(Type.String()),
  room: Type.Optional(Type.String()),
  participants: Participants,
  contact: Type.Optional(Person),
  notes: Type.Optional(Type.String()),
  confirm: Type.Optional(MeetingConfirm),
  status: MeetingStatus,
  flags: Type.Array(MeetingFlag),
  /** The active meetings it was booked over (flag clash_allowed). */
  clashesWith: Type.Optional(Type.Array(Type.Integer())),
  /** The sites taking part, frozen when the meeting started. */
  frozenSites: Type.Optional(Type.Array(SiteId)),
  /** When the registry took the T−15 readiness snapshot. */
  snapshotAt: Type.Optional(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
  history: Type.Array(MeetingEvent),
});
export type Meeting = Static<typeof Meeting>;

export const MeetingList = Type.Object({ items: Type.Array(Meeting), nextCursor: Nullable(Type.String()) });
export type MeetingList = Static<typeof MeetingList>;

/** PATCH /v1/meetings/:id: any field to change, and/or a status move (cancel, postpone, back to scheduled). */
export const MeetingPatch = Type.Object(
  {
    title: Type.Optional(Title),
    start: Type.Optional(DateTime),
    end: Type.Optional(DateTime),
    kind: Type.Optional(MeetingKind),
    bridge: Type.Optional(MeetingBridge),
    room: Type.Optional(Nullable(Room)),
    participants: Type.Optional(Participants),
    contact: Type.Optional(Nullable(Person)),
    notes: Type.Optional(Nullable(Notes)),
    /** The whole list again (null or [] removes them). */
    confirm: Type.Optional(Nullable(MeetingConfirm)),
    status: Type.Optional(literals(['scheduled', 'cancelled', 'postponed'])),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
    allowClash: Type.Optional(Type.Boolean()),
    by: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type MeetingPatch = Static<typeof MeetingPatch>;

/** PUT /v1/notice-rules: how long before a regular meeting under `unit` it must be booked. */
export const NoticeRuleInput = Type.Object(
  {
    unit: UnitPath,
    /** Hours of notice (Bắc Kạn: 3 days = 72). 0 turns the rule off for the unit. */
    hours: Type.Integer({ minimum: 0, maximum: 24 * 60 }),
  },
  { additionalProperties: false },
);
export type NoticeRuleInput = Static<typeof NoticeRuleInput>;

export const NoticeRule = Type.Object({
  unit: Type.String(),
  hours: Type.Integer(),
  updatedAt: DateTime,
  by: Nullable(Type.String()),
});
export type NoticeRule = Static<typeof NoticeRule>;
export const NoticeRuleList = Type.Object({
  /** The notice where no rule of a unit applies. */
  defaultHours: Type.Integer(),
  items: Type.Array(NoticeRule),
});
export type NoticeRuleList = Static<typeof NoticeRuleList>;

// ---- readiness per meeting ----------------------------------------------------

/**
 * A site's state for the meeting: the verdict of its last check inside the
 * T−60 window, or `not-checked` ("not checked since T−60") when its last
 * check is older or there is none.
 */
export const SITE_MEETING_STATES = ['ready', 'degraded', 'not-ready', 'unknown', 'not-checked'] as const;
export const SiteMeetingState = literals(SITE_MEETING_STATES);
export type SiteMeetingState = Static<typeof SiteMeetingState>;

/**
 * After the meeting (docs/meetings.md): an incident of a site during the
 * meeting — occurred between its start and end, or earlier and still open at
 * the start — with its effect on the meeting (QĐ 45/2018: the chair may
 * postpone, cancel or reschedule).
 */
const IncidentDuring = Type.Object({
  id: Type.Integer(),
  category: Type.String(),
  severity: Type.String(),
  status: Type.String(),
  summary: Type.String(),
  effect: literals(EFFECTS),
  occurredAt: DateTime,
  resolvedAt: Type.Optional(DateTime),
});

/** A line a provincial report can quote, in both languages (times in Asia/Ho_Chi_Minh). */
export const SummaryLine = Type.Object({ vi: Type.String(), en: Type.String() });
export type SummaryLine = Static<typeof SummaryLine>;

/** What a site's readiness adds after the meeting (optional: a snapshot stored before them has none). */
const AFTER_SITE = {
  /** The incidents during the meeting, oldest first (before the start: those open now). */
  incidentsDuring: Type.Optional(Type.Array(IncidentDuring)),
  /** The site's state in the registry's T−15 snapshot; null without one. */
  atT15: Type.Optional(Nullable(literals(SITE_MEETING_STATES))),
  /** "UBND xã X: sẵn sàng lúc T−15, kết nối 118/120 phút, 1 sự cố (…)". */
  line: Type.Optional(SummaryLine),
};

/** The meeting's totals after (or during) it, and its one-line summary. */
const AFTER_MEETING = {
  during: Type.Optional(
    Type.Object({
      /** Minutes of the meeting so far (T0 to now or the end); null before T0. */
      minutes: Nullable(Type.Integer()),
      /** Sites ready in the T−15 snapshot; null without one. */
      readyAtT15: Nullable(Type.Integer()),
      /** Sites connected to the bridge at some time since T0; null before T0 or without a bridge URI. */
      connected: Nullable(Type.Integer()),
      /** Incidents during the meeting, of all its sites. */
      incidents: Type.Integer(),
      postponed: Type.Integer(),
      cancelled: Type.Integer(),
      rescheduled: Type.Integer(),
    }),
  ),
  /** "45/47 điểm cầu sẵn sàng lúc T−15, 46 kết nối, 3 sự cố (1 phải hoãn họp)". */
  line: Type.Optional(SummaryLine),
};

const ReadinessIncident = Type.Object({
  id: Type.Integer(),
  category: Type.String(),
  severity: Type.String(),
  status: Type.String(),
  summary: Type.String(),
  occurredAt: DateTime,
});

/** confirmed (yes), not-confirmed (no), unanswered (timeout, Ctrl-C), skipped (nobody to ask), not-asked (no run for the meeting asked it). */
export const MEETING_CONFIRM_ANSWERS = [
  'confirmed',
  'not-confirmed',
  'unanswered',
  'skipped',
  'not-asked',
] as const;

export const MeetingConfirmAnswer = Type.Object({
  id: Type.String(),
  question: Type.String(),
  required: Type.Boolean(),
  answer: literals(MEETING_CONFIRM_ANSWERS),
  /** Who answered (the profile's technician), when known. */
  by: Nullable(Type.String()),
  /** When it was answered (or skipped); null when not asked. */
  at: Nullable(DateTime),
  /** What the technician typed after a "no". */
  note: Type.Optional(Type.String()),
  /** The run it comes from. */
  runId: Type.Optional(Type.Integer()),
});
export type MeetingConfirmAnswer = Static<typeof MeetingConfirmAnswer>;

export const MeetingSiteReadiness = Type.Object({
  id: SiteId,
  name: Type.String(),
  unit: Type.String(),
  state: SiteMeetingState,
  /** The last check that started before the meeting, in the window or not. */
  lastRun: Nullable(
    Type.Object({
      id: Type.Integer(),
      verdict: literals(VERDICTS),
      startedAt: DateTime,
      finishedAt: DateTime,
      /** Started at or after T−60. */
      inWindow: Type.Boolean(),
      failing: Type.Array(Type.String()),
      /** Made for this meeting (check --meeting ID): preferred over a later untagged run. */
      tagged: Type.Optional(Type.Boolean()),
    }),
  ),
  openIncidents: Type.Array(ReadinessIncident),
  ...AFTER_SITE,
  technician: Type.Optional(Person),
  focal_point: Type.Optional(Person),
  /** Other active meetings overlapping this one that the site also takes part in (a warning). */
  overlaps: Type.Array(Type.Integer()),
  /**
   * Roll call from T0 (the call states the site uploads, compared with the
   * meeting's bridge): null before T0, or when the bridge has no URI
   * (docs/meetings.md).
   */
  connected: Nullable(
    Type.Object({
      since: Nullable(DateTime),
      state: literals(['connected', 'not-connected']),
      /** Minutes connected to the meeting's bridge since T0 (one decimal). */
      minutes: Type.Optional(Type.Number()),
    }),
  ),
  /** What a person on site confirmed for this meeting (confirm checks): empty until known. */
  confirmations: Type.Array(
    Type.Object({
      id: Type.String(),
      status: Type.String(),
      by: Nullable(Type.String()),
      at: DateTime,
      /** The question asked (the check's own words). */
      question: Type.Optional(Type.String()),
    }),
  ),
  /**
   * The meeting's own confirm items at this site, each with its answer in
   * the newest run made for the meeting that answered it (else that asked
   * it): present when the meeting has items (docs/meetings.md).
   */
  meetingConfirm: Type.Optional(Type.Array(MeetingConfirmAnswer)),
});
export type MeetingSiteReadiness = Static<typeof MeetingSiteReadiness>;

export const MeetingReadiness = Type.Object({
  generatedAt: DateTime,
  meeting: Meeting,
  /** T−60: checks from then on count for the meeting. */
  windowStart: DateTime,
  /** Whether T−60 has come. */
  windowOpen: Type.Boolean(),
  ...AFTER_MEETING,
  counts: Type.Object({
    sites: Type.Integer(),
    ready: Type.Integer(),
    degraded: Type.Integer(),
    notReady: Type.Integer(),
    unknown: Type.Integer(),
    notChecked: Type.Integer(),
    withIncidents: Type.Integer(),
    overlapping: Type.Integer(),
  }),
  sites: Type.Array(MeetingSiteReadiness),
  /** The T−15 snapshot the registry took by itself, when it has (GET …/readiness?snapshot=true returns it). */
  snapshot: Type.Optional(Type.Boolean()),
});
export type MeetingReadiness = Static<typeof MeetingReadiness>;
