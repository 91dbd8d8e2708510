/**
 * The meeting register on PostgreSQL (docs/meetings.md). A booking takes
 * transaction-level advisory locks on its bridge key and room key (in a
 * fixed order) before it looks for clashes, so two bookings of one bridge —
 * through one registry or several on the same database — take turns, and
 * the second sees the first's committed row (READ COMMITTED reads a new
 * snapshot per statement). The scheduler's jobs claim their meetings with
 * FOR UPDATE SKIP LOCKED: with two registries, each meeting is done once.
 */
import type pg from 'pg';
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
  MAX_MEETING_MS,
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

/** Appended to MIGRATIONS in postgres.ts: the meeting register (docs/meetings.md). */
export const MEETINGS_MIGRATION_POSTGRES = `
  CREATE TABLE meetings (
    id BIGSERIAL PRIMARY KEY,
    host_unit TEXT COLLATE "C" NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    start_ms BIGINT NOT NULL,
    end_ms BIGINT NOT NULL,
    bridge TEXT NOT NULL,
    bridge_key TEXT COLLATE "C" NOT NULL,
    room_key TEXT COLLATE "C",
    flags TEXT NOT NULL,
    body TEXT NOT NULL,
    frozen_sites TEXT,
    snapshot TEXT,
    snapshot_ms BIGINT,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
  );
  CREATE INDEX meetings_bridge ON meetings (bridge_key, start_ms);
  CREATE INDEX meetings_room ON meetings (room_key, start_ms);
  CREATE INDEX meetings_start ON meetings (start_ms);
  CREATE INDEX meetings_host ON meetings (host_unit);
  CREATE TABLE meeting_sites (
    meeting_id BIGINT NOT NULL,
    site_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (meeting_id, site_id)
  );
  CREATE INDEX meeting_sites_site ON meeting_sites (site_id);
  CREATE TABLE meeting_units (
    meeting_id BIGINT NOT NULL,
    unit TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (meeting_id, unit)
  );
  CREATE TABLE meeting_events (
    meeting_id BIGINT NOT NULL,
    seq INTEGER NOT NULL,
    at_ms BIGINT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT,
    note TEXT,
    changes TEXT,
    PRIMARY KEY (meeting_id, seq)
  );
  CREATE TABLE notice_rules (
    unit TEXT COLLATE "C" PRIMARY KEY,
    hours INTEGER NOT NULL,
    updated_ms BIGINT NOT NULL,
    actor TEXT
  );
`;

type Db = pg.Pool | pg.PoolClient;

/** Numbered placeholders for a statement built in pieces. */
function placeholders(): { params: unknown[]; p: (v: unknown) => string } {
  const params: unknown[] = [];
  return {
    params,
    p: (v) => {
      params.push(v);
      return `$${params.length}`;
    },
  };
}

export class PostgresMeetings implements MeetingStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly onBad: () => BadRowListener | undefined,
  ) {}

  private async tx(fn: (c: pg.PoolClient) => Promise<MeetingWrite>): Promise<MeetingWrite> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query(out.kind === 'created' ? 'COMMIT' : 'ROLLBACK');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  private async meetingWith(c: Db, id: number): Promise<Meeting | undefined> {
    const row = (await c.query(`SELECT ${MEETING_COLUMNS} FROM meetings WHERE id = $1`, [id])).rows[0] as
      | MeetingRow
      | undefined;
    if (!row) return undefined;
    const events = (await c.query('SELECT * FROM meeting_events WHERE meeting_id = $1 ORDER BY seq', [id]))
      .rows as MeetingEventRow[];
    return meetingFromRow(row, events);
  }

  /** Claim the key in the transaction; a prior answer is a replay (or a 409). */
  private async claimKey(
    c: pg.PoolClient,
    idem: Idem | undefined,
    atMs: number,
  ): Promise<MeetingWrite | undefined> {
    if (!idem) return undefined;
    const claimed = await c.query(
      'INSERT INTO idempotency (key, fingerprint, created_ms) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING RETURNING key',
      [idem.key, idem.fingerprint, atMs],
    );
    if (claimed.rowCount === 1) return undefined;
    const prior = (await c.query('SELECT fingerprint, response FROM idempotency WHERE key = $1', [idem.key]))
      .rows[0] as { fingerprint: string; response: string | null } | undefined;
    if (!prior || prior.fingerprint !== idem.fingerprint || prior.response === null)
      return { kind: 'key-reused' };
    return { kind: 'replay', value: JSON.parse(prior.response) as Meeting };
  }

  /** Serialise bookings per bridge and per room: advisory locks held to the end of the transaction. */
  private async lockKeys(c: pg.PoolClient, r: MeetingRecord): Promise<void> {
    const keys = [`bridge:${r.bridgeKey}`, ...(r.roomKey !== null ? [`room:${r.roomKey}`] : [])].sort();
    for (const k of keys)
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('diemcau.meeting.' || $1))`, [k]);
  }

  private async clashes(
    c: pg.PoolClient,
    r: MeetingRecord,
    exceptId: number,
    nowMs: number,
  ): Promise<MeetingRow[]> {
    const { params, p } = placeholders();
    const sql = clashSql(r, exceptId, nowMs, p);
    return (await c.query(sql, params)).rows as MeetingRow[];
  }

  private async writeParticipants(c: pg.PoolClient, id: number, r: MeetingRecord): Promise<void> {
    await c.query('DELETE FROM meeting_sites WHERE meeting_id = $1', [id]);
    await c.query('DELETE FROM meeting_units WHERE meeting_id = $1', [id]);
    if (r.participants.sites?.length)
      await c.query('INSERT INTO meeting_sites (meeting_id, site_id) SELECT $1, unnest($2::text[])', [
        id,
        r.participants.sites,
      ]);
    if (r.participants.units?.length)
      await c.query('INSERT INTO meeting_units (meeting_id, unit) SELECT $1, unnest($2::text[])', [
        id,
        r.participants.units,
      ]);
  }

  private async addEvent(
    c: Db,
    id: number,
    atMs: number,
    action: string,
    by: string | null,
    note: string | undefined,
    changes: string | null,
  ): Promise<void> {
    await c.query(
      `INSERT INTO meeting_events (meeting_id, seq, at_ms, action, actor, note, changes)
       VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM meeting_events WHERE meeting_id = $1), $2, $3, $4, $5, $6)`,
      [id, atMs, action, by, note ?? null, changes],
    );
  }

  private async remember(c: pg.PoolClient, idem: Idem | undefined, value: Meeting): Promise<void> {
    if (idem)
      await c.query('UPDATE idempotency SET response = $2 WHERE key = $1', [idem.key, JSON.stringify(value)]);
  }

  async createMeeting(m: NewMeeting, idem: Idem): Promise<MeetingWrite> {
    return this.tx(async (c) => {
      const early = await this.claimKey(c, idem, m.atMs);
      if (early) return early;
      const r = m.record;
      await this.lockKeys(c, r);
      const clashes = await this.clashes(c, r, 0, m.atMs);
      if (clashes.length && !m.allowClash) return { kind: 'clash', other: clashOf(clashes, r) as never };
      const flags = clashes.length ? [...r.flags, 'clash_allowed' as const] : r.flags;
      const { rows } = await c.query(
        `INSERT INTO meetings (host_unit, title, kind, status, start_ms, end_ms, bridge, bridge_key, room_key, flags, body, created_ms, updated_ms)
         VALUES ($1, $2, $3, 'scheduled', $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
        [
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
            clashes.map((x) => x.id),
          ),
          m.atMs,
        ],
      );
      const id = (rows[0] as { id: number }).id;
      await this.writeParticipants(c, id, r);
      await this.addEvent(c, id, m.atMs, 'created', m.by, undefined, null);
      const value = (await this.meetingWith(c, id)) as Meeting;
      await this.remember(c, idem, value);
      return { kind: 'created', value };
    });
  }

  async getMeeting(id: number): Promise<Meeting | undefined> {
    return this.meetingWith(this.pool, id);
  }

  private async withEvents(rows: MeetingRow[]): Promise<Meeting[]> {
    if (rows.length === 0) return [];
    const events = (
      await this.pool.query(
        'SELECT * FROM meeting_events WHERE meeting_id = ANY($1::bigint[]) ORDER BY meeting_id, seq',
        [rows.map((r) => r.id)],
      )
    ).rows as MeetingEventRow[];
    const byId = meetingEventsById(events);
    return convertRows(rows, (r) => meetingFromRow(r, byId.get(r.id) ?? []), 'meeting', this.onBad());
  }

  async listMeetings(f: MeetingFilter): Promise<Meeting[]> {
    const { params, p } = placeholders();
    const tail = meetingListSql(f, p);
    const cols = MEETING_COLUMNS.split(', ')
      .map((c) => `m.${c}`)
      .join(', ');
    const rows = (await this.pool.query(`SELECT ${cols} FROM meetings m ${tail}`, params))
      .rows as MeetingRow[];
    return this.withEvents(rows);
  }

  async overlappingMeetings(startMs: number, endMs: number, exceptId: number): Promise<Meeting[]> {
    const rows = (
      await this.pool.query(
        `SELECT ${MEETING_COLUMNS} FROM meetings WHERE ${ACTIVE_SQL} AND id <> $1 AND start_ms < $2 AND end_ms > $3 AND start_ms > $4
         ORDER BY start_ms, id LIMIT 500`,
        [exceptId, endMs, startMs, startMs - MAX_MEETING_MS],
      )
    ).rows as MeetingRow[];
    return this.withEvents(rows);
  }

  async updateMeeting(id: number, ch: MeetingChange, idem: Idem | undefined): Promise<MeetingWrite> {
    return this.tx(async (c) => {
      const early = await this.claimKey(c, idem, ch.atMs);
      if (early) return early;
      const r = ch.record;
      const active = ch.status === 'scheduled' || ch.status === 'in-progress';
      if (active) await this.lockKeys(c, r);
      const row = (await c.query(`SELECT ${MEETING_COLUMNS} FROM meetings WHERE id = $1 FOR UPDATE`, [id]))
        .rows[0] as MeetingRow | undefined;
      if (!row) return { kind: 'not-found' };
      const seq = (await c.query('SELECT count(*)::int AS n FROM meeting_events WHERE meeting_id = $1', [id]))
        .rows[0] as { n: number };
      if (seq.n !== ch.basedOn) return { kind: 'stale' };
      const clashes = active ? await this.clashes(c, r, id, ch.atMs) : [];
      if (clashes.length && !ch.allowClash) return { kind: 'clash', other: clashOf(clashes, r) as never };
      const flags: MeetingRecord['flags'] = r.flags.filter((f) => f !== 'clash_allowed');
      if (clashes.length) flags.push('clash_allowed');
      await c.query(
        `UPDATE meetings SET host_unit = $2, title = $3, kind = $4, status = $5, start_ms = $6, end_ms = $7, bridge = $8,
           bridge_key = $9, room_key = $10, flags = $11, body = $12, updated_ms = $13,
           snapshot = CASE WHEN start_ms = $6 THEN snapshot END, snapshot_ms = CASE WHEN start_ms = $6 THEN snapshot_ms END
         WHERE id = $1`,
        [
          id,
          r.hostUnit,
          r.title,
          r.kind,
          ch.status,
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
          ch.atMs,
        ],
      );
      await this.writeParticipants(c, id, r);
      await this.addEvent(c, id, ch.atMs, ch.event.action, ch.by, ch.event.note, changesJson(ch.event));
      const value = (await this.meetingWith(c, id)) as Meeting;
      await this.remember(c, idem, value);
      return { kind: 'created', value };
    });
  }

  async putNoticeRule(unit: string, hours: number, by: string | null, atMs: number): Promise<NoticeRule> {
    await this.pool.query(
      `INSERT INTO notice_rules (unit, hours, updated_ms, actor) VALUES ($1, $2, $3, $4)
       ON CONFLICT (unit) DO UPDATE SET hours = excluded.hours, updated_ms = excluded.updated_ms, actor = excluded.actor`,
      [unit, hours, atMs, by],
    );
    return { unit, hours, updatedAt: iso(atMs), by };
  }

  async listNoticeRules(): Promise<NoticeRule[]> {
    const { rows } = await this.pool.query('SELECT * FROM notice_rules ORDER BY unit');
    return (rows as Array<{ unit: string; hours: number; updated_ms: number; actor: string | null }>).map(
      (r) => ({
        unit: r.unit,
        hours: r.hours,
        updatedAt: iso(r.updated_ms),
        by: r.actor,
      }),
    );
  }

  async sitesOf(siteIds: readonly string[], units: readonly string[]): Promise<Site[]> {
    const { params, p } = placeholders();
    const where = [`site_id = ANY(${p(siteIds)}::text[])`];
    for (const u of units) where.push(`(unit = ${p(u)} OR (unit >= ${p(`${u}/`)} AND unit < ${p(`${u}0`)}))`);
    const { rows } = await this.pool.query(
      `SELECT * FROM sites WHERE ${where.join(' OR ')} ORDER BY unit, site_id`,
      params,
    );
    return (rows as SiteRow[]).map(siteFromRow);
  }

  async lastRunsBefore(siteIds: readonly string[], beforeMs: number): Promise<LastRun[]> {
    const { rows } = await this.pool.query(
      `SELECT r.id, r.site_id, r.verdict, r.started_ms, r.duration_ms, r.failing
       FROM unnest($1::text[]) AS j(site_id)
       CROSS JOIN LATERAL (SELECT x.id, x.site_id, x.verdict, x.started_ms, x.duration_ms, x.failing FROM runs x
                           WHERE x.site_id = j.site_id AND x.started_ms < $2
                           ORDER BY x.started_ms DESC, x.id DESC LIMIT 1) r`,
      [siteIds, beforeMs],
    );
    return (rows as LastRunRow[]).map(lastRunFromRow);
  }

  async openIncidentsOf(siteIds: readonly string[]): Promise<OpenIncident[]> {
    const { rows } = await this.pool.query(
      `SELECT id, site_id, category, severity, status, occurred_ms, body FROM incidents
       WHERE status <> 'resolved' AND site_id = ANY($1::text[]) ORDER BY id`,
      [siteIds],
    );
    return convertRows(rows as OpenIncidentRow[], openIncidentFromRow, 'incident', this.onBad());
  }

  async takeDue(
    job: DueJob,
    nowMs: number,
    leadMs: number,
    work: (m: Meeting) => Promise<string>,
  ): Promise<number[]> {
    const at = nowMs + (job === 'snapshot' ? leadMs : 0);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Rows another registry is working on are skipped, not waited for: each meeting is done once.
      const ids = (
        await client.query(
          `SELECT id FROM meetings WHERE ${dueWhere(job, '$1')} ORDER BY start_ms, id LIMIT 50 FOR UPDATE SKIP LOCKED`,
          [at],
        )
      ).rows.map((r) => (r as { id: number }).id);
      for (const id of ids) {
        const m = (await this.meetingWith(client, id)) as Meeting;
        const value = await work(m);
        if (job === 'snapshot') {
          await client.query('UPDATE meetings SET snapshot = $2, snapshot_ms = $3 WHERE id = $1', [
            id,
            value,
            nowMs,
          ]);
        } else {
          await client.query(
            'UPDATE meetings SET status = $2, frozen_sites = coalesce(frozen_sites, $3), updated_ms = $4 WHERE id = $1',
            [id, job === 'start' ? 'in-progress' : 'done', value, nowMs],
          );
          await this.addEvent(client, id, nowMs, job === 'start' ? 'started' : 'done', null, undefined, null);
        }
      }
      await client.query('COMMIT');
      return ids;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async meetingSnapshot(id: number): Promise<string | undefined> {
    const { rows } = await this.pool.query('SELECT snapshot FROM meetings WHERE id = $1', [id]);
    return (rows[0] as { snapshot: string | null } | undefined)?.snapshot ?? undefined;
  }
}
