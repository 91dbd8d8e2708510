/**
 * The meeting register's part of the store (docs/meetings.md): meetings with
 * their history, the notice rules, and what the per-meeting readiness reads.
 * Both engines implement it (meetings-sqlite.ts, meetings-postgres.ts) and
 * pass one conformance suite (test/registry/meetings.conformance.ts).
 *
 * Clash detection is the store's: the check and the write are one
 * transaction, serialised per bridge and room (SQLite: an IMMEDIATE
 * transaction, one writer at a time; PostgreSQL: transaction-level advisory
 * locks on the bridge and room keys), so two coordinators booking the same
 * bridge at once never both win.
 */
import type {
  Meeting,
  MeetingConfirmItem,
  MeetingEvent,
  MeetingFlag,
  MeetingKind,
  MeetingStatus,
  NoticeRule,
  Participants,
} from '../../model/meeting.js';
import type { Run } from '../../model/run.js';
import type { Site } from '../../model/site.js';
import type { Idem, WriteResult } from './types.js';

/** A meeting's fields as the store keeps them (times in epoch ms, keys already normalised). */
export interface MeetingRecord {
  title: string;
  hostUnit: string;
  kind: MeetingKind;
  startMs: number;
  endMs: number;
  bridge: string;
  /** What clashes are found by: the bridge's URI, lower case, without its scheme. */
  bridgeKey: string;
  /** hostUnit + room, normalised; null without a room. */
  roomKey: string | null;
  flags: MeetingFlag[];
  bridgeUri?: string;
  room?: string;
  participants: Participants;
  contact?: { name: string; phone?: string };
  notes?: string;
  /** The meeting's own confirm items (kept in the JSON body: no column of their own). */
  confirm?: MeetingConfirmItem[];
}

/** Another active meeting on the same bridge or room at an overlapping time. */
export interface ClashInfo {
  id: number;
  title: string;
  start: string;
  end: string;
  bridge: string;
  room?: string;
  /** What they share. */
  on: 'bridge' | 'room';
}

export type MeetingWrite = WriteResult<Meeting> | { kind: 'clash'; other: ClashInfo } | { kind: 'stale' };

export interface NewMeeting {
  record: MeetingRecord;
  /** Book over clashes (flag clash_allowed, clashesWith kept). */
  allowClash: boolean;
  by: string | null;
  atMs: number;
}

export interface MeetingChange {
  /** The whole meeting after the change (the route merges the patch into what it read). */
  record: MeetingRecord;
  status: MeetingStatus;
  event: Omit<MeetingEvent, 'at' | 'by'>;
  allowClash: boolean;
  by: string | null;
  atMs: number;
  /** How many history entries the meeting had when the change was computed: a change made meanwhile makes this `stale`. */
  basedOn: number;
}

export interface MeetingFilter {
  /** Meetings that concern the prefix: hosted under it, or with participants under it or covering it. */
  unitPrefix: string;
  /** Meetings a site takes part in: by id, or by a unit prefix covering its unit (`siteUnit`). */
  site?: { id: string; unit: string | undefined };
  /** Meetings overlapping [fromMs, toMs). */
  fromMs?: number;
  toMs?: number;
  /** Stored statuses to keep. */
  statuses?: MeetingStatus[];
  /** The time a status filter is read at (a scheduled meeting whose end has passed is done). */
  nowMs: number;
  limit: number;
  /** After this position of the order (emergency first, then start, then id). */
  after?: { emergency: number; startMs: number; id: number };
}

/** A site's last run before a time, what the readiness needs of it. */
export type LastRun = Pick<Run, 'id' | 'verdict' | 'failing'> & {
  siteId: string;
  startedMs: number;
  finishedMs: number;
};

export interface OpenIncident {
  id: number;
  siteId: string;
  category: string;
  severity: string;
  status: string;
  summary: string;
  occurredMs: number;
}

/** Jobs of the meeting scheduler (src/registry/meeting-scheduler.ts). */
export type DueJob = 'snapshot' | 'start' | 'end';

export interface MeetingStore {
  createMeeting(m: NewMeeting, idem: Idem): Promise<MeetingWrite>;
  getMeeting(id: number): Promise<Meeting | undefined>;
  listMeetings(filter: MeetingFilter): Promise<Meeting[]>;
  updateMeeting(id: number, change: MeetingChange, idem: Idem | undefined): Promise<MeetingWrite>;
  /** Active meetings (scheduled, in-progress) overlapping [startMs, endMs), other than `exceptId`. */
  overlappingMeetings(startMs: number, endMs: number, exceptId: number): Promise<Meeting[]>;

  /** Notice rules, by unit. */
  putNoticeRule(unit: string, hours: number, by: string | null, atMs: number): Promise<NoticeRule>;
  listNoticeRules(): Promise<NoticeRule[]>;

  /** Registered sites with one of the ids or under one of the units, ordered by unit then id. */
  sitesOf(siteIds: readonly string[], units: readonly string[]): Promise<Site[]>;
  /** Each site's last run that started before `beforeMs`. */
  lastRunsBefore(siteIds: readonly string[], beforeMs: number): Promise<LastRun[]>;
  /** Incidents of the sites not yet resolved. */
  openIncidentsOf(siteIds: readonly string[]): Promise<OpenIncident[]>;

  /**
   * Do one scheduler job for every meeting it is due for, each once even with
   * several registries on one database (PostgreSQL: FOR UPDATE SKIP LOCKED;
   * SQLite: a compare-and-set write). `work` computes what is stored: the
   * snapshot (JSON) for `snapshot`, the frozen site ids (JSON) for `start`
   * and `end`. Returns the ids it did.
   *   snapshot: not yet taken, not cancelled/postponed/recorded, start − leadMs ≤ now;
   *   start:    scheduled, start ≤ now (status in-progress, sites frozen);
   *   end:      scheduled or in-progress, end ≤ now (status done; sites frozen if they were not).
   */
  takeDue(
    job: DueJob,
    nowMs: number,
    leadMs: number,
    work: (m: Meeting) => Promise<string>,
  ): Promise<number[]>;
  /** The stored T−15 snapshot (JSON) of a meeting. */
  meetingSnapshot(id: number): Promise<string | undefined>;
}
