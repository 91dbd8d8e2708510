/**
 * The reports as CSV, written by the one CSV writer (../../util/csv.ts:
 * RFC 4180, a byte-order mark on request). Headers are stable English keys that
 * scripts can rely on in both languages; only the *_label columns are words
 * in the chosen language. Times are the API's ISO 8601 strings, unchanged.
 */
import type { Incident } from '../../model/incident.js';
import type { Run } from '../../model/run.js';
import { csvDocument } from '../../util/csv.js';
import { categoryLabel, severityLabel, stateLabel, statusLabel } from './labels.js';
import {
  type FleetRenderOptions,
  type IncidentReportData,
  newestFirst,
  type ReadinessReportData,
  type ReportFormatOf,
  type SiteReportData,
  sortWorstFirst,
  stateOf,
  timeToResolveMs,
} from './types.js';

export const READINESS_COLUMNS = [
  'site_id',
  'site_name',
  'unit',
  'state',
  'state_label',
  'verdict',
  'last_run_at',
  'run_id',
  'failing',
  'stale',
  'technician',
  'phone',
  'open_incidents',
  'maintenance_until',
  'maintenance_reason',
] as const;

export function renderReadinessCsv(data: ReadinessReportData, opts: FleetRenderOptions): string {
  const rows = sortWorstFirst(data.readiness.sites).map((s) => {
    const state = stateOf(s);
    return [
      s.id,
      s.name,
      s.unit,
      state,
      stateLabel(opts.t, state),
      s.verdict,
      s.at,
      s.runId,
      s.failing.join(','),
      s.stale,
      s.technician,
      s.phone,
      s.openIncidents,
      s.maintenance?.until,
      s.maintenance?.reason,
    ];
  });
  return csvDocument(READINESS_COLUMNS, rows, opts.bom, opts.csvRaw);
}

export const INCIDENT_COLUMNS = [
  'id',
  'site_id',
  'site_name',
  'unit',
  'category',
  'category_label',
  'severity',
  'severity_label',
  'status',
  'status_label',
  'effect',
  'occurred_at',
  'created_at',
  'resolved_at',
  'time_to_resolve_s',
  'meeting',
  'summary',
] as const;

function resolvedAt(i: Incident): string | undefined {
  return i.history.find((h) => h.status === 'resolved')?.at ?? i.resolvedAt;
}

function incidentCells(i: Incident, opts: FleetRenderOptions) {
  const ttr = timeToResolveMs(i);
  return [
    i.id,
    i.site.id,
    i.site.name,
    i.site.unit,
    i.category,
    categoryLabel(opts.locale, i.category),
    i.severity,
    severityLabel(opts.t, i.severity),
    i.status,
    statusLabel(opts.t, i.status),
    i.effect,
    i.occurredAt,
    i.createdAt,
    resolvedAt(i),
    ttr === null ? null : Math.round(ttr / 1000),
    i.meeting,
    i.summary,
  ];
}

export function renderIncidentsCsv(data: IncidentReportData, opts: FleetRenderOptions): string {
  return csvDocument(
    INCIDENT_COLUMNS,
    newestFirst(data.incidents).map((i) => incidentCells(i, opts)),
    opts.bom,
    opts.csvRaw,
  );
}

/** One timeline, newest first: a row per check run and per incident, told apart by `type`. */
export const SITE_COLUMNS = [
  'type',
  'at',
  'site_id',
  'run_id',
  'verdict',
  'verdict_label',
  'failing',
  'duration_ms',
  'incident_id',
  'category',
  'category_label',
  'severity',
  'status',
  'status_label',
  'summary',
] as const;

export function renderSiteCsv(data: SiteReportData, opts: FleetRenderOptions): string {
  const { t } = opts;
  const id = data.site.id;
  type Row = { at: number; cells: Array<string | number | null | undefined> };
  const runRow = (r: Run): Row => ({
    at: Date.parse(r.startedAt),
    cells: [
      'run',
      r.startedAt,
      id,
      r.id,
      r.verdict,
      stateLabel(t, r.verdict),
      r.failing.join(','),
      r.durationMs,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ],
  });
  const incidentRow = (i: Incident): Row => ({
    at: Date.parse(i.occurredAt),
    cells: [
      'incident',
      i.occurredAt,
      id,
      null,
      null,
      null,
      null,
      null,
      i.id,
      i.category,
      categoryLabel(opts.locale, i.category),
      i.severity,
      i.status,
      statusLabel(t, i.status),
      i.summary,
    ],
  });
  const rows = [...data.runs.map(runRow), ...data.incidents.map(incidentRow)].sort((a, b) => b.at - a.at);
  return csvDocument(
    SITE_COLUMNS,
    rows.map((r) => r.cells),
    opts.bom,
    opts.csvRaw,
  );
}

export const format: ReportFormatOf<'csv'> = {
  name: 'csv',
  render: { readiness: renderReadinessCsv, incidents: renderIncidentsCsv, site: renderSiteCsv },
};
