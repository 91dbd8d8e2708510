/**
 * What the central staff's reports render (`diemcau report readiness |
 * incidents | site`), built from the registry's API types, and the pure sums
 * the renderers share: worst-first order and the incident summary.
 */
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES, SEVERITIES } from '../../model/constants.js';
import type { Incident, IncidentCategory, IncidentStatus, Severity } from '../../model/incident.js';
import type { Readiness, ReadinessSite } from '../../model/report.js';
import type { Run } from '../../model/run.js';
import type { RenderOptions } from '../types.js';

export type Verdict = Run['verdict'];

export const READINESS_SCHEMA = 'diemcau/report-readiness@1';
export const INCIDENTS_SCHEMA = 'diemcau/report-incidents@1';
export const SITE_SCHEMA = 'diemcau/report-site@1';

export interface FleetRenderOptions extends RenderOptions {
  /** CSV only: start with a UTF-8 byte-order mark so Excel reads the Vietnamese right. */
  bom?: boolean;
  /** CSV only: no `'` before cells that start like a formula (for machine consumers; docs/reports.md). */
  csvRaw?: boolean;
  /** IANA zone for times shown to people (default Asia/Ho_Chi_Minh; DIEMCAU_TZ). CSV and JSON keep the API's ISO times. */
  timeZone?: string;
}

export interface DailyVerdicts {
  /** YYYY-MM-DD, oldest first. */
  days: string[];
  /** Per site, one entry per day: the worst verdict of that day, null when the site did not run. */
  sites: Array<{ id: string; verdicts: Array<Verdict | null> }>;
}

export interface ReadinessReportData {
  readiness: Readiness;
  daily?: DailyVerdicts;
  incidents?: Incident[];
}

export interface IncidentReportData {
  /** When the report was pulled (ISO): the "now" of open ages and the page's date. */
  generatedAt: string;
  incidents: Incident[];
  since?: string;
  unit?: string;
}

export interface SiteReportData {
  generatedAt: string;
  site: { id: string; name: string; unit: string };
  /** Newest first, as GET /v1/runs returns them. */
  runs: Run[];
  incidents: Incident[];
  daily?: DailyVerdicts;
}

export interface ReportData {
  readiness: ReadinessReportData;
  incidents: IncidentReportData;
  site: SiteReportData;
}
export type ReportKind = keyof ReportData;
export type ReportRenderer<K extends ReportKind> = (data: ReportData[K], opts: FleetRenderOptions) => string;

/** What each report format module exports as `format` (listed in ./index.ts): a renderer per report. */
export interface ReportFormatOf<N extends string> {
  name: N;
  render: { [K in ReportKind]: ReportRenderer<K> };
}

// ---- readiness order --------------------------------------------------------

/**
 * A readiness row's state: a site that did not report since `staleBefore` is
 * stale whatever its last verdict was (unknown readiness, not a failure).
 */
export type SiteState = Verdict | 'stale' | 'never';
export const SITE_STATES = [
  'not-ready',
  'unknown',
  'degraded',
  'stale',
  'never',
  'ready',
] as const satisfies readonly SiteState[];

const STATE_RANK: Record<SiteState, number> = {
  'not-ready': 0,
  unknown: 1,
  degraded: 2,
  stale: 3,
  never: 4,
  ready: 5,
};

/** Stale, or never reported at all (a registered site with no run: docs/sites.md), before the verdict. */
export function stateOf(site: Pick<ReadinessSite, 'stale' | 'verdict'> & { at?: string | null }): SiteState {
  if (site.stale) return site.verdict === null && !site.at ? 'never' : 'stale';
  return site.verdict ?? 'unknown';
}

/**
 * Worst first: not ready, could not check, with warnings, no report, ready;
 * then by unit and id (code-point order: ids and units are lower-case ASCII,
 * and the order must not depend on the machine's locale). Returns a new array.
 */
export function sortWorstFirst<
  T extends Pick<ReadinessSite, 'stale' | 'verdict' | 'unit' | 'id'> & { at?: string | null },
>(sites: readonly T[]): T[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return sites
    .map((s) => ({ s, rank: STATE_RANK[stateOf(s)] }))
    .sort((a, b) => a.rank - b.rank || cmp(a.s.unit, b.s.unit) || cmp(a.s.id, b.s.id))
    .map((x) => x.s);
}

// ---- incident summary -------------------------------------------------------

export interface IncidentSummary {
  total: number;
  byStatus: Record<IncidentStatus, number>;
  bySeverity: Record<Severity, number>;
  /** Categories with at least one incident, most first (ties in the fixed category order). */
  byCategory: Array<{ category: IncidentCategory; count: number }>;
  /** The first two segments of the unit path (province/commune), most first, ties by name. */
  byUnit: Array<{ unit: string; count: number }>;
  /**
   * Time to resolve: from `occurredAt` (when the fault happened, as the
   * technician reported it) to the `at` of the first `resolved` entry in the
   * incident's history (when someone marked it resolved in the registry).
   * Only resolved incidents count; a negative span (clocks disagreeing) counts as 0.
   */
  resolve: { count: number; meanMs: number | null; medianMs: number | null; maxMs: number | null };
  /** Incidents not resolved yet, and how long the oldest of them has been open at `now`. */
  unresolved: { count: number; oldestAgeMs: number | null };
}

/** The first two path segments: province and commune (or department) in `thanh-hoa/bim-son/ubnd`. */
export function unitGroup(unit: string): string {
  return unit.split('/').slice(0, 2).join('/');
}

/** Milliseconds from occurrence to the first resolution entry, or null when not resolved. */
export function timeToResolveMs(
  incident: Pick<Incident, 'occurredAt' | 'history' | 'resolvedAt'>,
): number | null {
  const entry = incident.history.find((h) => h.status === 'resolved');
  const at = entry?.at ?? incident.resolvedAt;
  if (!at) return null;
  return Math.max(0, Date.parse(at) - Date.parse(incident.occurredAt));
}

export function summariseIncidents(incidents: readonly Incident[], now: Date): IncidentSummary {
  const byStatus = Object.fromEntries(INCIDENT_STATUSES.map((s) => [s, 0])) as Record<IncidentStatus, number>;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const categories = new Map<IncidentCategory, number>();
  const units = new Map<string, number>();
  const spans: number[] = [];
  let oldestOpen: number | null = null;
  for (const i of incidents) {
    byStatus[i.status] += 1;
    bySeverity[i.severity] += 1;
    categories.set(i.category, (categories.get(i.category) ?? 0) + 1);
    const unit = unitGroup(i.site.unit);
    units.set(unit, (units.get(unit) ?? 0) + 1);
    const ttr = timeToResolveMs(i);
    if (ttr !== null) spans.push(ttr);
    else {
      const occurred = Date.parse(i.occurredAt);
      if (oldestOpen === null || occurred < oldestOpen) oldestOpen = occurred;
    }
  }
  spans.sort((a, b) => a - b);
  const n = spans.length;
  const median =
    n === 0
      ? null
      : n % 2
        ? (spans[(n - 1) / 2] as number)
        : ((spans[n / 2 - 1] as number) + (spans[n / 2] as number)) / 2;
  const order = (c: IncidentCategory) => INCIDENT_CATEGORIES.indexOf(c);
  return {
    total: incidents.length,
    byStatus,
    bySeverity,
    byCategory: [...categories]
      .map(([category, count]) => ({ category, count }))
      .sort((a, b) => b.count - a.count || order(a.category) - order(b.category)),
    byUnit: [...units]
      .map(([unit, count]) => ({ unit, count }))
      .sort((a, b) => b.count - a.count || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0)),
    resolve: {
      count: n,
      meanMs: n === 0 ? null : spans.reduce((a, b) => a + b, 0) / n,
      medianMs: median,
      maxMs: n === 0 ? null : (spans[n - 1] as number),
    },
    unresolved: {
      count: incidents.length - n,
      oldestAgeMs: oldestOpen === null ? null : Math.max(0, now.getTime() - oldestOpen),
    },
  };
}

/** Newest first by occurrence, then by id (stable for equal times). */
export function newestFirst(incidents: readonly Incident[]): Incident[] {
  return [...incidents].sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt) || b.id - a.id);
}
