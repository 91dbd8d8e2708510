/** Meeting rows as both engines return them, and their API shapes (docs/meetings.md). */
import type { Meeting, MeetingEvent } from '../../model/meeting.js';
import type { ClashInfo, DueJob, LastRun, MeetingFilter, MeetingRecord, OpenIncident } from './meetings.js';
import { iso, splitFailing } from './rows.js';

export interface MeetingRow {
  id: number;
  host_unit: string;
  title: string;
  kind: string;
  status: string;
  start_ms: number;
  end_ms: number;
  bridge: string;
  bridge_key: string;
  room_key: string | null;
  flags: string;
  body: string;
  frozen_sites: string | null;
  snapshot_ms: number | null;
  created_ms: number;
  updated_ms: number;
}

/** The columns a meeting is read with (never the snapshot: it is large, read on its own). */
export const MEETING_COLUMNS =
  'id, host_unit, title, kind, status, start_ms, end_ms, bridge, bridge_key, room_key, flags, body, frozen_sites, snapshot_ms, created_ms, updated_ms';

export interface MeetingEventRow {
  meeting_id: number;
  seq: number;
  at_ms: number;
  action: string;
  actor: string | null;
  note: string | null;
  changes: string | null;
}

/** The fields without columns of their own, as one JSON body. */
type MeetingBody = Pick<
  MeetingRecord,
  'bridgeUri' | 'room' | 'participants' | 'contact' | 'notes' | 'confirm'
> & {
  clashesWith?: number[];
};

export function meetingBody(r: MeetingRecord, clashesWith: number[] | undefined): string {
  const body: MeetingBody = {
    ...(r.bridgeUri !== undefined ? { bridgeUri: r.bridgeUri } : {}),
    ...(r.room !== undefined ? { room: r.room } : {}),
    participants: r.participants,
    ...(r.contact ? { contact: r.contact } : {}),
    ...(r.notes !== undefined ? { notes: r.notes } : {}),
    ...(r.confirm?.length ? { confirm: r.confirm } : {}),
    ...(clashesWith?.length ? { clashesWith } : {}),
  };
  return JSON.stringify(body);
}

export function meetingFromRow(r: MeetingRow, events: readonly MeetingEventRow[]): Meeting {
  const body = JSON.parse(r.body) as MeetingBody;
  return {
    id: r.id,
    title: r.title,
    hostUnit: r.host_unit,
    start: iso(r.start_ms),
    end: iso(r.end_ms),
    kind: r.kind as Meeting['kind'],
    bridge: r.bridge,
    ...(body.bridgeUri !== undefined ? { bridgeUri: body.bridgeUri } : {}),
    ...(body.room !== undefined ? { room: body.room } : {}),
    participants: body.participants,
    ...(body.contact ? { contact: body.contact } : {}),
    ...(body.notes !== undefined ? { notes: body.notes } : {}),
    ...(body.confirm?.length ? { confirm: body.confirm } : {}),
    status: r.status as Meeting['status'],
    flags: (r.flags ? r.flags.split(',') : []) as Meeting['flags'],
    ...(body.clashesWith?.length ? { clashesWith: body.clashesWith } : {}),
    ...(r.frozen_sites !== null ? { frozenSites: JSON.parse(r.frozen_sites) as string[] } : {}),
    ...(r.snapshot_ms !== null ? { snapshotAt: iso(r.snapshot_ms) } : {}),
    createdAt: iso(r.created_ms),
    updatedAt: iso(r.updated_ms),
    history: events.map(
      (e): MeetingEvent => ({
        at: iso(e.at_ms),
        action: e.action as MeetingEvent['action'],
        by: e.actor,
        ...(e.note ? { note: e.note } : {}),
        ...(e.changes ? { changes: JSON.parse(e.changes) as MeetingEvent['changes'] } : {}),
      }),
    ),
  };
}

export function meetingEventsById(rows: readonly MeetingEventRow[]): Map<number, MeetingEventRow[]> {
  const map = new Map<number, MeetingEventRow[]>();
  for (const e of rows) {
    const list = map.get(e.meeting_id);
    if (list) list.push(e);
    else map.set(e.meeting_id, [e]);
  }
  return map;
}

/** Active meetings hold their bridge and room. */
export const ACTIVE_SQL = `status IN ('scheduled', 'in-progress')`;

/** No meeting is longer than this (docs/meetings.md): clash queries look back this far from the new start. */
export const MAX_MEETING_MS = 7 * 86_400_000;

/** 1 for emergency meetings: listed first (ORDER BY emergency DESC, start, id). */
export const EMERGENCY_SQL = `(CASE kind WHEN 'emergency' THEN 1 ELSE 0 END)`;

/**
 * The WHERE and ORDER BY of a meeting list, for either engine: `p` adds a
 * parameter and returns its placeholder (called in the order of the text).
 * A status filter means the status at `nowMs`: a meeting stored as
 * scheduled whose end has passed is done even before the scheduler says so.
 */
export function meetingListSql(f: MeetingFilter, p: (v: unknown) => string): string {
  const { nowMs } = f;
  const where: string[] = [];
  if (f.unitPrefix !== '') {
    const inRange = (col: string) =>
      `(${col} = ${p(f.unitPrefix)} OR (${col} >= ${p(`${f.unitPrefix}/`)} AND ${col} < ${p(`${f.unitPrefix}0`)}))`;
    where.push(`(${inRange('m.host_unit')}
      OR EXISTS (SELECT 1 FROM meeting_units mu WHERE mu.meeting_id = m.id AND (${inRange('mu.unit')}
        OR substr(${p(`${f.unitPrefix}/`)}, 1, length(mu.unit) + 1) = mu.unit || '/'))
      OR EXISTS (SELECT 1 FROM meeting_sites ms JOIN sites s ON s.site_id = ms.site_id
        WHERE ms.meeting_id = m.id AND ${inRange('s.unit')}))`);
  }
  if (f.site) {
    const parts = [
      `EXISTS (SELECT 1 FROM meeting_sites ms WHERE ms.meeting_id = m.id AND ms.site_id = ${p(f.site.id)})`,
    ];
    if (f.site.unit !== undefined)
      parts.push(
        `EXISTS (SELECT 1 FROM meeting_units mu WHERE mu.meeting_id = m.id AND substr(${p(`${f.site.unit}/`)}, 1, length(mu.unit) + 1) = mu.unit || '/')`,
      );
    where.push(`(${parts.join(' OR ')})`);
  }
  if (f.fromMs !== undefined) where.push(`m.end_ms > ${p(f.fromMs)}`);
  if (f.toMs !== undefined) where.push(`m.start_ms < ${p(f.toMs)}`);
  if (f.statuses?.length) {
    const any: string[] = [];
    for (const s of f.statuses) {
      if (s === 'scheduled') any.push(`(m.status = 'scheduled' AND m.start_ms > ${p(nowMs)})`);
      else if (s === 'in-progress')
        any.push(
          `(m.status IN ('scheduled', 'in-progress') AND m.start_ms <= ${p(nowMs)} AND m.end_ms > ${p(nowMs)})`,
        );
      else if (s === 'done')
        any.push(
          `(m.status = 'done' OR (m.status IN ('scheduled', 'in-progress') AND m.end_ms <= ${p(nowMs)}))`,
        );
      else any.push(`m.status = ${p(s)}`);
    }
    where.push(`(${any.join(' OR ')})`);
  }
  if (f.after) {
    const { emergency, startMs, id } = f.after;
    where.push(
      `(${EMERGENCY_SQL} < ${p(emergency)} OR (${EMERGENCY_SQL} = ${p(emergency)} AND (m.start_ms > ${p(startMs)} OR (m.start_ms = ${p(startMs)} AND m.id > ${p(id)}))))`,
    );
  }
  return `${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${EMERGENCY_SQL} DESC, m.start_ms, m.id LIMIT ${p(f.limit)}`;
}

/**
 * The active meetings clashing with [startMs, endMs) on the bridge or room key, for either engine.
 * Bounded below by the longest meeting, so the (bridge_key, start_ms) index range stays small.
 * A meeting whose end has passed at `nowMs` is done (statusAt), stored so or not yet: it holds
 * nothing, so a meeting recorded afterwards does not clash with it, whether the scheduler has
 * marked it done or not.
 */
export function clashSql(
  r: Pick<MeetingRecord, 'startMs' | 'endMs' | 'bridgeKey' | 'roomKey'>,
  exceptId: number,
  nowMs: number,
  p: (v: unknown) => string,
): string {
  // Placeholders in the order of the text: SQLite's are positional.
  const except = p(exceptId);
  const now = p(nowMs);
  const window = (col: string, key: string) =>
    `(m.${col} = ${p(key)} AND m.start_ms > ${p(r.startMs - MAX_MEETING_MS)} AND m.start_ms < ${p(r.endMs)} AND m.end_ms > ${p(r.startMs)})`;
  const on = [window('bridge_key', r.bridgeKey)];
  if (r.roomKey !== null) on.push(window('room_key', r.roomKey));
  const cols = MEETING_COLUMNS.split(', ')
    .map((c) => `m.${c}`)
    .join(', ');
  return `SELECT ${cols} FROM meetings m
    WHERE m.${ACTIVE_SQL} AND m.id <> ${except} AND m.end_ms > ${now} AND (${on.join(' OR ')})
    ORDER BY m.start_ms, m.id LIMIT 20`;
}

export function clashOf(
  rows: readonly MeetingRow[],
  r: Pick<MeetingRecord, 'bridgeKey'>,
): ClashInfo | undefined {
  const row = rows[0];
  if (!row) return undefined;
  const body = JSON.parse(row.body) as { room?: string };
  return {
    id: row.id,
    title: row.title,
    start: iso(row.start_ms),
    end: iso(row.end_ms),
    bridge: row.bridge,
    ...(body.room !== undefined ? { room: body.room } : {}),
    on: row.bridge_key === r.bridgeKey ? 'bridge' : 'room',
  };
}

/** The history entry's changed fields, JSON, or null. */
export const changesJson = (e: { changes?: unknown }): string | null =>
  e.changes && Object.keys(e.changes).length ? JSON.stringify(e.changes) : null;

/**
 * Which meetings a scheduler job is due for (src/registry/store/meetings.ts, takeDue);
 * `at` is the placeholder of the time start or end is compared with.
 */
export function dueWhere(job: DueJob, at: string): string {
  switch (job) {
    case 'snapshot':
      return `snapshot_ms IS NULL AND ${ACTIVE_SQL} AND ',' || flags || ',' NOT LIKE '%,recorded,%' AND start_ms <= ${at}`;
    case 'start':
      return `status = 'scheduled' AND start_ms <= ${at}`;
    case 'end':
      return `${ACTIVE_SQL} AND end_ms <= ${at}`;
  }
}

export interface LastRunRow {
  id: number;
  site_id: string;
  verdict: string;
  started_ms: number;
  duration_ms: number;
  failing: string;
}
export const lastRunFromRow = (r: LastRunRow): LastRun => ({
  id: r.id,
  siteId: r.site_id,
  verdict: r.verdict as LastRun['verdict'],
  startedMs: r.started_ms,
  finishedMs: r.started_ms + r.duration_ms,
  failing: splitFailing(r.failing),
});

export interface OpenIncidentRow {
  id: number;
  site_id: string;
  category: string;
  severity: string;
  status: string;
  occurred_ms: number;
  body: string;
}
export const openIncidentFromRow = (r: OpenIncidentRow): OpenIncident => ({
  id: r.id,
  siteId: r.site_id,
  category: r.category,
  severity: r.severity,
  status: r.status,
  summary: (JSON.parse(r.body) as { summary: string }).summary,
  occurredMs: r.occurred_ms,
});
