/**
 * The incidents during a meeting (docs/meetings.md, after the meeting): of
 * the meeting's sites, those that occurred between its start and its end, or
 * earlier and still open at the start, each with its effect on the meeting
 * (none, postponed, cancelled, rescheduled: the incident's `effect`). One
 * query on the incidents by site (index `incidents_site`), the same on both
 * engines; the store classes delegate to these functions.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { Effect } from '../../model/incident.js';
import type { OpenIncident } from './meetings.js';
import { type BadRowListener, convertRows } from './rows.js';

/** An incident as the readiness reads it (meetings.ts), with its effect and when it was resolved. */
export interface MeetingIncident extends OpenIncident {
  effect: Effect;
  resolvedMs?: number;
}

export interface MeetingIncidentStore {
  /**
   * Incidents of the sites with `occurred < endMs` and either `occurred ≥
   * startMs` or not resolved by `startMs` (open at the start), oldest first.
   */
  incidentsDuring(siteIds: readonly string[], startMs: number, endMs: number): Promise<MeetingIncident[]>;
}

interface Row {
  id: number | string;
  site_id: string;
  category: string;
  severity: string;
  status: string;
  occurred_ms: number | string;
  resolved_ms: number | string | null;
  body: string;
}

const fromRow = (r: Row): MeetingIncident => {
  const body = JSON.parse(r.body) as { summary: string; effect?: Effect };
  return {
    id: Number(r.id),
    siteId: r.site_id,
    category: r.category,
    severity: r.severity,
    status: r.status,
    summary: body.summary,
    effect: body.effect ?? 'none',
    occurredMs: Number(r.occurred_ms),
    ...(r.resolved_ms !== null ? { resolvedMs: Number(r.resolved_ms) } : {}),
  };
};

/** Placeholders: the end, then the start twice. */
const WHEN = (end: string, start: string, start2: string) =>
  `occurred_ms < ${end} AND (occurred_ms >= ${start} OR resolved_ms IS NULL OR resolved_ms > ${start2})`;
const COLUMNS = 'id, site_id, category, severity, status, occurred_ms, resolved_ms, body';

export function incidentsDuringSqlite(
  db: Database.Database,
  siteIds: readonly string[],
  startMs: number,
  endMs: number,
  onBad: BadRowListener | undefined,
): MeetingIncident[] {
  const rows = db
    .prepare(
      `SELECT ${COLUMNS} FROM incidents
       WHERE site_id IN (SELECT value FROM json_each(?)) AND ${WHEN('?', '?', '?')}
       ORDER BY occurred_ms, id`,
    )
    .all(JSON.stringify(siteIds), endMs, startMs, startMs) as Row[];
  return convertRows(rows, fromRow, 'incident', onBad);
}

export async function incidentsDuringPostgres(
  pool: pg.Pool,
  siteIds: readonly string[],
  startMs: number,
  endMs: number,
  onBad: BadRowListener | undefined,
): Promise<MeetingIncident[]> {
  const { rows } = await pool.query(
    `SELECT ${COLUMNS} FROM incidents
     WHERE site_id = ANY($1::text[]) AND ${WHEN('$3', '$2', '$2')}
     ORDER BY occurred_ms, id`,
    [siteIds, startMs, endMs],
  );
  return convertRows(rows as Row[], fromRow, 'incident', onBad);
}
