/**
 * The meeting register on SQLite (docs/meetings.md). Every write is one
 * IMMEDIATE transaction: the clash check and the insert happen under the
 * database's one write lock, so of two bookings of one bridge at once (from
 * one registry or two processes on the file) exactly one wins.
 */
import type Database from 'better-sqlite3';
import type { Meeting, NoticeRule } from '../../model/meeting.js';
import type { Site } from '../../model/site.js';
import type {
  DueJob,
  LastRun,
  MeetingChange,
  MeetingFilter,
  MeetingRecord,
  MeetingStore,
  MeetingWrite,
  NewMeeting,
  OpenIncident,
} from './meetings.js';
import {
  ACTIVE_SQL,
  changesJson,
  clashOf,
  clashSql,
  dueWhere,
  type LastRunRow,
  lastRunFromRow,
  MEETING_COLUMNS,
  type MeetingEventRow,
  type MeetingRow,
  meetingBody,
  meetingEventsById,
  meetingFromRow,
  meetingListSql,
  type OpenIncidentRow,
  openIncidentFromRow,
} from './meetings-rows.js';
import { type BadRowListener, convertRows, iso, type SiteRow, siteFromRow } from './rows.js';
import type { Idem } from './types.js';

/** Appended to MIGRATIONS in sqlite.ts: the meeting register (docs/meetings.md). */
export const MEETINGS_MIGRATION_SQLITE = `
  CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    host_unit TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    bridge TEXT NOT NULL,
    bridge_key TEXT NOT NULL,
    room_key TEXT,
    flags TEXT NOT NULL,
    body TEXT NOT NULL,
    frozen_sites TEXT,
    snapshot TEXT,
    snapshot_ms INTEGER,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
  );
  CREATE INDEX meetings_bridge ON meetings (bridge_key, start_ms);
  CREATE INDEX meetings_room ON meetings (room_key, start_ms);
  CREATE INDEX meetings_start ON meetings (start_ms);
  CREATE INDEX meetings_host ON meetings (host_unit);
  CREATE TABLE meeting_sites (
    meeting_id INTEGER NOT NULL,
    site_id TEXT NOT NULL,
    PRIMARY KEY (meeting_id, site_id)
  ) WITHOUT ROWID;
  CREATE INDEX meeting_sites_site ON meeting_sites (site_id);
  CREATE TABLE meeting_units (
    meeting_id INTEGER NOT NULL,
    unit TEXT NOT NULL,
    PRIMARY KEY (meeting_id, unit)
  ) WITHOUT ROWID;
  CREATE TABLE meeting_events (
    meeting_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    action TEXT NOT NULL,
    actor TEXT,
    note TEXT,
    changes TEXT,
    PRIMARY KEY (meeting_id, seq)
  ) WITHOUT ROWID;
  CREATE TABLE notice_rules (
    unit TEXT PRIMARY KEY,
    hours INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    actor TEXT
  ) WITHOUT ROWID;
`;

type Write = <T>(fn: () => T) => Promise<T>;

export class SqliteMeetings implements MeetingStore {
  constructor(
    private readonly db: Database.Database,
    /** The engine's busy-retrying writer (sqlite.ts). */
    private readonly write: Write,
    private readonly onBad: () => BadRowListener | undefined,
  ) {}

  private meetingIn(id: number): Meeting | undefined {
    const row = this.db.prepare(`SELECT ${MEETING_COLUMNS} FROM meetings WHERE id = ?`).get(id) as
      | MeetingRow
      | undefined;
    if (!row) return undefined;
    const events = this.db
      .prepare('SELECT * FROM meeting_events WHERE meeting_id = ? ORDER BY seq')
      .all(id) as MeetingEventRow[];
    return meetingFromRow(row, events);
  }

  private replayOf(idem: Idem | undefined): MeetingWrite | undefined {
    if (!idem) return undefined;
    const prior = this.db
      .prepare('SELECT fingerprint, response FROM idempotency WHERE key = ?')
      .get(idem.key) as { fingerprint: string; response: string | null } | undefined;
    if (!prior) return undefined;
    if (prior.fingerprint !== idem.fingerprint || prior.response === null) return { kind: 'key-reused' };
    return { kind: 'replay', value: JSON.parse(prior.response) as Meeting };
  }

  private clashes(r: MeetingRecord, exceptId: number, nowMs: number): MeetingRow[] {
    const params: unknown[] = [];
    const sql = clashSql(r, exceptId, nowMs, (v) => {
      params.push(v);
      return '?';
    });
    return this.db.prepare(sql).all(...params) as MeetingRow[];
  }

  private writeParticipants(id: number, r: MeetingRecord): void {
    this.db.prepare('DELETE FROM meeting_sites WHERE meeting_id = ?').run(id);
    this.db.prepare('DELETE FROM meeting_units WHERE meeting_id = ?').run(id);
    const site = this.db.prepare('INSERT INTO meeting_sites (meeting_id, site_id) VALUES (?, ?)');
    for (const s of r.participants.sites ?? []) site.run(id, s);
    const unit = this.db.prepare('INSERT INTO meeting_units (meeting_id, unit) VALUES (?, ?)');
    for (const u of r.participants.units ?? []) unit.run(id, u);
  }

  private addEvent(
    id: number,
    atMs: number,
    action: string,
    by: string | null,
    note: string | undefined,
    changes: string | null,
  ): void {
    this.db
      .prepare(
        `INSERT INTO meeting_events (meeting_id, seq, at_ms, action, actor, note, changes)
         VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM meeting_events WHERE meeting_id = ?), ?, ?, ?, ?, ?)`,
      )
      .run(id, id, atMs, action, by, note ?? null, changes);
  }

  private remember(idem: Idem | undefined, value: Meeting, atMs: number): void {
    if (idem)
      this.db
        .prepare(
          'INSERT INTO idempotency (key, fingerprint, run_id, response, created_ms) VALUES (?, ?, NULL, ?, ?)',
        )
        .run(idem.key, idem.fingerprint, JSON.stringify(value), atMs);
  }

  async createMeeting(m: NewMeeting, idem: Idem): Promise<MeetingWrite> {
    const tx = this.db.transaction((): MeetingWrite => {
      const early = this.replayOf(idem);
      if (early) return early;
      const r = m.record;
      const clashes = this.clashes(r, 0, m.atMs);
      if (clashes.length && !m.allowClash) return { kind: 'clash', other: clashOf(clashes, r) as never };
      const flags = clashes.length ? [...r.flags, 'clash_allowed' as const] : r.flags;
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO meetings (host_unit, title, kind, status, start_ms, end_ms, bridge, bridge_key, room_key, flags, body, created_ms, updated_ms)
             VALUES (?, ?, ?, 'scheduled', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            r.hostUnit,
            r.title,
            r.kind,
            r.startMs,
            r.endMs,
            r.bridge,
            r.bridgeKey,
            r.roomKey,
            flags.join(','),
            meetingBody(
              r,
              clashes.map((c) => c.id),
            ),
            m.atMs,
            m.atMs,
          ).lastInsertRowid,
      );
      this.writeParticipants(id, r);
      this.addEvent(id, m.atMs, 'created', m.by, undefined, null);
      const value = this.meetingIn(id) as Meeting;
      this.remember(idem, value, m.atMs);
      return { kind: 'created', value };
    });
    return this.write(() => tx.immediate());
  }

  async getMeeting(id: number): Promise<Meeting | undefined> {
    return this.meetingIn(id);
  }

  private withEvents(rows: MeetingRow[]): Meeting[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const events = this.db
      .prepare(
        'SELECT * FROM meeting_events WHERE meeting_id IN (SELECT value FROM json_each(?)) ORDER BY meeting_id, seq',
      )
      .all(JSON.stringify(ids)) as MeetingEventRow[];
    const byId = meetingEventsById(events);
    return convertRows(rows, (r) => meetingFromRow(r, byId.get(r.id) ?? []), 'meeting', this.onBad());
  }

  async listMeetings(f: MeetingFilter): Promise<Meeting[]> {
    const params: unknown[] = [];
    const tail = meetingListSql(f, (v) => {
      params.push(v);
      return '?';
    });
    const rows = this.db
      .prepare(
        `SELECT ${MEETING_COLUMNS.split(', ')
          .map((c) => `m.${c}`)
          .join(', ')} FROM meetings m ${tail}`,
      )
      .all(...params) as MeetingRow[];
    return this.withEvents(rows);
  }

  async overlappingMeetings(startMs: number, endMs: number, exceptId: number): Promise<Meeting[]> {
    const rows = this.db
      .prepare(
        `SELECT ${MEETING_COLUMNS} FROM meetings WHERE ${ACTIVE_SQL} AND id <> ? AND start_ms < ? AND end_ms > ? AND start_ms > ?
         ORDER BY start_ms, id LIMIT 500`,
      )
      .all(exceptId, endMs, startMs, startMs - 7 * 86_400_000) as MeetingRow[];
    return this.withEvents(rows);
  }

  async updateMeeting(id: number, c: MeetingChange, idem: Idem | undefined): Promise<MeetingWrite> {
    const tx = this.db.transaction((): MeetingWrite => {
      const early = this.replayOf(idem);
      if (early) return early;
      const row = this.db.prepare(`SELECT ${MEETING_COLUMNS} FROM meetings WHERE id = ?`).get(id) as
        | MeetingRow
        | undefined;
      if (!row) return { kind: 'not-found' };
      const seq = this.db.prepare('SELECT count(*) FROM meeting_events WHERE meeting_id = ?').pluck().get(id);
      if (seq !== c.basedOn) return { kind: 'stale' };
      const r = c.record;
      const active = c.status === 'scheduled' || c.status === 'in-progress';
      const clashes = active ? this.clashes(r, id, c.atMs) : [];
      if (clashes.length && !c.allowClash) return { kind: 'clash', other: clashOf(clashes, r) as never };
      const flags: MeetingRecord['flags'] = r.flags.filter((f) => f !== 'clash_allowed');
      if (clashes.length) flags.push('clash_allowed');
      this.db
        .prepare(
          `UPDATE meetings SET host_unit = ?, title = ?, kind = ?, status = ?, start_ms = ?, end_ms = ?, bridge = ?,
             bridge_key = ?, room_key = ?, flags = ?, body = ?, updated_ms = ?,
             snapshot = CASE WHEN start_ms = ? THEN snapshot END, snapshot_ms = CASE WHEN start_ms = ? THEN snapshot_ms END
           WHERE id = ?`,
        )
        .run(
          r.hostUnit,
          r.title,
          r.kind,
          c.status,
          r.startMs,
          r.endMs,
          r.bridge,
          r.bridgeKey,
          r.roomKey,
          flags.join(','),
          meetingBody(
            r,
            clashes.map((x) => x.id),
          ),
          c.atMs,
          r.startMs,
          r.startMs,
          id,
        );
      this.writeParticipants(id, r);
      this.addEvent(id, c.atMs, c.event.action, c.by, c.event.note, changesJson(c.event));
      const value = this.meetingIn(id) as Meeting;
      this.remember(idem, value, c.atMs);
      return { kind: 'created', value };
    });
    return this.write(() => tx.immediate());
  }

  async putNoticeRule(unit: string, hours: number, by: string | null, atMs: number): Promise<NoticeRule> {
    await this.write(() =>
      this.db
        .prepare(
          `INSERT INTO notice_rules (unit, hours, updated_ms, actor) VALUES (?, ?, ?, ?)
           ON CONFLICT (unit) DO UPDATE SET hours = excluded.hours, updated_ms = excluded.updated_ms, actor = excluded.actor`,
        )
        .run(unit, hours, atMs, by),
    );
    return { unit, hours, updatedAt: iso(atMs), by };
  }

  async listNoticeRules(): Promise<NoticeRule[]> {
    const rows = this.db.prepare('SELECT * FROM notice_rules ORDER BY unit').all() as Array<{
      unit: string;
      hours: number;
      updated_ms: number;
      actor: string | null;
    }>;
    return rows.map((r) => ({ unit: r.unit, hours: r.hours, updatedAt: iso(r.updated_ms), by: r.actor }));
  }

  async sitesOf(siteIds: readonly string[], units: readonly string[]): Promise<Site[]> {
    const where = ['site_id IN (SELECT value FROM json_each(?))'];
    const params: unknown[] = [JSON.stringify(siteIds)];
    for (const u of units) {
      where.push('(unit = ? OR (unit >= ? AND unit < ?))');
      params.push(u, `${u}/`, `${u}0`);
    }
    const rows = this.db
      .prepare(`SELECT * FROM sites WHERE ${where.join(' OR ')} ORDER BY unit, site_id`)
      .all(...params) as SiteRow[];
    return rows.map(siteFromRow);
  }

  async lastRunsBefore(siteIds: readonly string[], beforeMs: number): Promise<LastRun[]> {
    const rows = this.db
      .prepare(
        `SELECT r.id, r.site_id, r.verdict, r.started_ms, r.duration_ms, r.failing FROM json_each(?) j
         JOIN runs r ON r.id = (SELECT x.id FROM runs x WHERE x.site_id = j.value AND x.started_ms < ?
                                ORDER BY x.started_ms DESC, x.id DESC LIMIT 1)`,
      )
      .all(JSON.stringify(siteIds), beforeMs) as LastRunRow[];
    return rows.map(lastRunFromRow);
  }

  async openIncidentsOf(siteIds: readonly string[]): Promise<OpenIncident[]> {
    const rows = this.db
      .prepare(
        `SELECT id, site_id, category, severity, status, occurred_ms, body FROM incidents
         WHERE status <> 'resolved' AND site_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
      )
      .all(JSON.stringify(siteIds)) as OpenIncidentRow[];
    return convertRows(rows, openIncidentFromRow, 'incident', this.onBad());
  }

  async takeDue(
    job: DueJob,
    nowMs: number,
    leadMs: number,
    work: (m: Meeting) => Promise<string>,
  ): Promise<number[]> {
    const at = nowMs + (job === 'snapshot' ? leadMs : 0);
    const ids = this.db
      .prepare(`SELECT id FROM meetings WHERE ${dueWhere(job, '?')} ORDER BY start_ms, id LIMIT 50`)
      .pluck()
      .all(at) as number[];
    const done: number[] = [];
    for (const id of ids) {
      const m = this.meetingIn(id);
      if (!m) continue;
      const value = await work(m);
      // Compare-and-set: another process on the same file that did it first wins, and this writes nothing.
      const tx = this.db.transaction((): boolean => {
        const still = this.db.prepare(`SELECT id FROM meetings WHERE ${dueWhere(job, '?')} AND id = ?`);
        if (still.pluck().get(at, id) === undefined) return false;
        if (job === 'snapshot') {
          this.db
            .prepare('UPDATE meetings SET snapshot = ?, snapshot_ms = ? WHERE id = ?')
            .run(value, nowMs, id);
        } else {
          this.db
            .prepare(
              `UPDATE meetings SET status = ?, frozen_sites = coalesce(frozen_sites, ?), updated_ms = ? WHERE id = ?`,
            )
            .run(job === 'start' ? 'in-progress' : 'done', value, nowMs, id);
          this.addEvent(id, nowMs, job === 'start' ? 'started' : 'done', null, undefined, null);
        }
        return true;
      });
      if (await this.write(() => tx.immediate())) done.push(id);
    }
    return done;
  }

  async meetingSnapshot(id: number): Promise<string | undefined> {
    const v = this.db.prepare('SELECT snapshot FROM meetings WHERE id = ?').pluck().get(id) as
      | string
      | null
      | undefined;
    return v ?? undefined;
  }
}
