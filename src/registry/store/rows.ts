/**
 * Rows as both engines return them (same column names) and their API shapes.
 * Times are epoch milliseconds in both engines (BIGINT in PostgreSQL): one
 * representation, no time-zone conversions in the hot path.
 */
import type { Incident } from '../../model/incident.js';
import type { DailySite, ReadinessSite } from '../../model/report.js';
import type { Run } from '../../model/run.js';
import { SITE_INFO_FIELDS, type Site, type SiteInput, type SiteMove } from '../../model/site.js';
import type { ReadinessRow, TokenRecord } from './types.js';

export const iso = (ms: number): string => new Date(ms).toISOString();

/** Does `ms` name a time a Date can hold (±8.64e15)? A row written before times were bounded may not. */
export const representable = (ms: number): boolean => Number.isFinite(ms) && Math.abs(ms) <= 8.64e15;

/** Told about a stored row that cannot be turned into its API shape; the row is left out. */
export type BadRowListener = (what: string, id: unknown, err: unknown) => void;

/**
 * Rows into API shapes, leaving out a row that cannot be converted (a time out
 * of range, a broken body) and telling `onBad`: one bad row must never fail a
 * whole list or report (docs/operations.md).
 */
export function convertRows<R extends { id?: unknown }, T>(
  rows: readonly R[],
  convert: (r: R) => T,
  what: string,
  onBad: BadRowListener | undefined,
): T[] {
  const out: T[] = [];
  for (const r of rows) {
    try {
      out.push(convert(r));
    } catch (err) {
      onBad?.(what, r.id, err);
    }
  }
  return out;
}

/** `unit` and everything under it, by whole path segments: [exact, lower, upper) for an index range. */
export function unitRange(prefix: string): { exact: string; lo: string; hi: string } | undefined {
  if (prefix === '') return undefined;
  // '0' is the character right after '/', so [p/, p0) holds exactly the paths below p.
  return { exact: prefix, lo: `${prefix}/`, hi: `${prefix}0` };
}

export function inUnit(unit: string, prefix: string): boolean {
  return prefix === '' || unit === prefix || unit.startsWith(`${prefix}/`);
}

export const splitFailing = (text: string | null): string[] => (text ? text.split(',') : []);

export interface TokenRow {
  id: number;
  role: string;
  unit: string;
  label: string;
  created_ms: number;
  last_used_ms: number | null;
  expires_ms: number | null;
  revoked_ms: number | null;
}
/** The token columns every query reads (never the hash). */
export const TOKEN_COLUMNS = 'id, role, unit, label, created_ms, last_used_ms, expires_ms, revoked_ms';
export const tokenFromRow = (r: TokenRow): TokenRecord => ({
  id: r.id,
  role: r.role as TokenRecord['role'],
  unit: r.unit,
  label: r.label,
  createdAt: iso(r.created_ms),
  ...(r.last_used_ms !== null ? { lastUsedAt: iso(r.last_used_ms) } : {}),
  ...(r.expires_ms !== null ? { expiresAt: iso(r.expires_ms) } : {}),
  ...(r.revoked_ms !== null ? { revokedAt: iso(r.revoked_ms) } : {}),
});

export interface RunRow {
  id: number;
  site_id: string;
  name: string | null;
  unit: string | null;
  verdict: string;
  started_ms: number;
  duration_ms: number;
  received_ms: number;
  failing: string;
  body: string;
  meeting_id?: string | null;
}
export function runFromRow(r: RunRow): Run {
  const body = JSON.parse(r.body) as Pick<Run, 'checks' | 'error' | 'tool'>;
  return {
    id: r.id,
    site: { id: r.site_id, name: r.name ?? r.site_id, unit: r.unit ?? '' },
    verdict: r.verdict as Run['verdict'],
    startedAt: iso(r.started_ms),
    durationMs: r.duration_ms,
    receivedAt: iso(r.received_ms),
    failing: splitFailing(r.failing),
    checks: body.checks,
    ...(body.error ? { error: body.error } : {}),
    ...(body.tool ? { tool: body.tool } : {}),
    ...(r.meeting_id ? { meeting: r.meeting_id } : {}),
  };
}

export interface IncidentRow {
  id: number;
  site_id: string;
  site_name: string | null;
  unit: string;
  category: string;
  severity: string;
  status: string;
  occurred_ms: number;
  created_ms: number;
  updated_ms: number;
  resolved_ms: number | null;
  body: string;
}
export interface EventRow {
  incident_id: number;
  seq: number;
  at_ms: number;
  status: string;
  note: string | null;
  actor: string | null;
}

export function incidentFromRow(r: IncidentRow, events: EventRow[]): Incident {
  const body = JSON.parse(r.body) as Pick<
    Incident,
    'summary' | 'details' | 'meeting' | 'action' | 'effect' | 'reporter' | 'run'
  >;
  return {
    id: r.id,
    site: { id: r.site_id, ...(r.site_name ? { name: r.site_name } : {}), unit: r.unit },
    category: r.category as Incident['category'],
    severity: r.severity as Incident['severity'],
    summary: body.summary,
    ...(body.details !== undefined ? { details: body.details } : {}),
    occurredAt: iso(r.occurred_ms),
    ...(body.meeting !== undefined ? { meeting: body.meeting } : {}),
    ...(body.action !== undefined ? { action: body.action } : {}),
    effect: body.effect ?? 'none',
    ...(body.reporter ? { reporter: body.reporter } : {}),
    ...(body.run !== undefined ? { run: body.run } : {}),
    status: r.status as Incident['status'],
    createdAt: iso(r.created_ms),
    updatedAt: iso(r.updated_ms),
    ...(r.resolved_ms !== null ? { resolvedAt: iso(r.resolved_ms) } : {}),
    history: events.map((e) => ({
      at: iso(e.at_ms),
      status: e.status as Incident['status'],
      ...(e.note ? { note: e.note } : {}),
      ...(e.actor ? { by: e.actor } : {}),
    })),
  };
}

/** Group event rows by incident id, in order. */
export function eventsById(rows: EventRow[]): Map<number, EventRow[]> {
  const map = new Map<number, EventRow[]>();
  for (const e of rows) {
    const list = map.get(e.incident_id);
    if (list) list.push(e);
    else map.set(e.incident_id, [e]);
  }
  return map;
}

export interface SiteRow {
  site_id: string;
  name: string;
  unit: string;
  info: string | null;
  created_ms: number;
  updated_ms: number;
  /** Migration 5 (docs/sites.md): set when the site was retired. */
  retired_ms?: number | null;
  retired_by?: string | null;
  retired_note?: string | null;
}
export interface SiteMoveRow {
  site_id: string;
  seq: number;
  at_ms: number;
  from_unit: string;
  to_unit: string;
  actor: string | null;
}
export const siteMoveFromRow = (r: SiteMoveRow): SiteMove => ({
  at: iso(r.at_ms),
  from: r.from_unit,
  to: r.to_unit,
  by: r.actor,
});

/** The register's optional fields as stored in `info` (older rows hold only level and the two people). */
type SiteInfoJson = Partial<Pick<SiteInput, (typeof SITE_INFO_FIELDS)[number]>>;

export function siteFromRow(r: SiteRow): Site {
  const info = r.info ? (JSON.parse(r.info) as SiteInfoJson) : {};
  const site: Site = { id: r.site_id, name: r.name, unit: r.unit, createdAt: '', updatedAt: '' };
  for (const key of SITE_INFO_FIELDS) if (info[key] !== undefined) Object.assign(site, { [key]: info[key] });
  if (r.retired_ms !== null && r.retired_ms !== undefined)
    site.retired = {
      at: iso(r.retired_ms),
      by: r.retired_by ?? null,
      ...(r.retired_note ? { reason: r.retired_note } : {}),
    };
  site.createdAt = iso(r.created_ms);
  site.updatedAt = iso(r.updated_ms);
  return site;
}

/**
 * The readiness query's columns, in the order readinessFromArray reads them: the
 * technician's name and phone come out of `info` in SQL (`tech` and `phone` are the
 * engine's JSON expressions), the open incidents from the partial index incidents_open.
 */
export const readinessColumns = (tech: string, phone: string) =>
  `s.site_id, s.name, s.unit, l.run_id, l.verdict, l.finished_ms, l.failing, ${tech}, ${phone},
   (SELECT count(*) FROM incidents i WHERE i.site_id = s.site_id AND i.status <> 'resolved')`;

/** A readiness row from an array row (see readinessColumns): no per-row object from the driver. */
export const readinessFromArray = (r: unknown[]): ReadinessRow => ({
  id: r[0] as string,
  name: r[1] as string,
  unit: r[2] as string,
  runId: r[3] as number | null,
  verdict: r[4] as ReadinessSite['verdict'],
  atMs: r[5] as number | null,
  failing: splitFailing(r[6] as string | null),
  technician: (r[7] as string | null) ?? null,
  phone: (r[8] as string | null) ?? null,
  openIncidents: Number(r[9] ?? 0),
});

/** The register's optional fields, as one JSON column (null when there are none). */
export function infoOf(site: Partial<SiteInput>): string | null {
  const info: SiteInfoJson = {};
  for (const key of SITE_INFO_FIELDS) if (site[key] !== undefined) Object.assign(info, { [key]: site[key] });
  return Object.keys(info).length ? JSON.stringify(info) : null;
}

/** What a register entry becomes when `given` is merged over `before`: given fields replace, absent ones stay. */
export function mergeSite(before: Site | undefined, given: SiteInput): SiteInput {
  if (!before) return given;
  const merged: SiteInput = { name: given.name, unit: given.unit };
  for (const key of SITE_INFO_FIELDS) {
    const value = given[key] ?? before[key];
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  return merged;
}

// ---- daily verdicts ---------------------------------------------------------

export const DAY_MS = 86_400_000;

/**
 * One code per run for the daily grid: day index × 4 + verdict rank, worse
 * ranking higher (src/report/fleet/daily.ts: not-ready > unknown > degraded >
 * ready). `from` is the SQL for the first day's start. The store groups the
 * codes by site only (one row per site, in index order, no sort), which
 * measured 2–3 times faster than grouping by site and day (bench/README.md).
 */
export const dayCodeSql = (from: string) =>
  `((r.started_ms - ${from}) / ${DAY_MS} * 4 + CASE r.verdict WHEN 'not-ready' THEN 3 WHEN 'unknown' THEN 2 WHEN 'degraded' THEN 1 WHEN 'ready' THEN 0 END)`;
const BY_RANK = ['ready', 'degraded', 'unknown', 'not-ready'] as const;

/**
 * Array rows (site_id, comma-separated day codes or null when the site did not
 * run in the window) into grid rows: per day the worst of that day's codes.
 */
export function dailyFromArrays(rows: unknown[][], days: number): DailySite[] {
  const out: DailySite[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as unknown[];
    const worst = new Array<number>(days).fill(-1);
    const codes = r[1] as string | null;
    if (codes) {
      for (const text of codes.split(',')) {
        const code = Number(text);
        const day = code >> 2;
        if (day >= 0 && day < days && (code & 3) > (worst[day] as number)) worst[day] = code & 3;
      }
    }
    out[i] = {
      id: r[0] as string,
      verdicts: worst.map((k) => (k < 0 ? null : (BY_RANK[k] as DailySite['verdicts'][number]))),
    };
  }
  return out;
}
