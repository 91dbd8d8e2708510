/** The incident report for a terminal, and the incident rows the site report shows too (see ./table.ts). */
import type { Incident } from '../../model/incident.js';
import { type Column, drawTable, fitLines, tsv } from '../../util/table.js';
import {
  categoryLabel,
  formatSpan,
  incidentTotalText,
  resolveText,
  scopeText,
  severityLabel,
  statusLabel,
  unresolvedText,
} from './labels.js';
import { header, palette, upper } from './table-parts.js';
import { zoneClock } from './time.js';
import {
  type FleetRenderOptions,
  type IncidentReportData,
  type IncidentSummary,
  newestFirst,
  summariseIncidents,
  timeToResolveMs,
} from './types.js';

export function incidentRows(
  incidents: readonly Incident[],
  opts: FleetRenderOptions,
): { cols: Column[]; rows: string[][] } {
  const { t } = opts;
  const clock = zoneClock(opts.timeZone);
  const cols: Column[] = [
    { head: upper(opts, t('report.col.incident')), right: true },
    // Wrapped, never cut; the short ones give way last.
    { head: upper(opts, t('report.col.site')), wrap: true, flex: 0.25, min: 10 },
    { head: upper(opts, t('report.col.category')), wrap: true, min: 8 },
    { head: upper(opts, t('report.col.severity')), wrap: true, flex: 0.25, min: 8 },
    { head: upper(opts, t('report.col.status')), wrap: true, flex: 0.25, min: 8 },
    { head: upper(opts, t('report.col.occurred')), wrap: true, flex: 0.25, min: 10 },
    { head: upper(opts, t('report.col.resolved_in')), wrap: true, flex: 0.25, min: 6 },
    { head: upper(opts, t('report.col.summary')), wrap: true, min: 12 },
  ];
  const rows = incidents.map((i) => [
    String(i.id),
    i.site.id,
    categoryLabel(opts.locale, i.category),
    severityLabel(t, i.severity),
    statusLabel(t, i.status),
    clock.local(i.occurredAt),
    formatSpan(t, timeToResolveMs(i)),
    i.summary,
  ]);
  return { cols, rows };
}

export function incidentTsv(incidents: readonly Incident[]): string[][] {
  return incidents.map((i) => {
    const ttr = timeToResolveMs(i);
    return [
      String(i.id),
      i.site.id,
      i.site.unit,
      i.category,
      i.severity,
      i.status,
      i.occurredAt,
      ttr === null ? '' : String(Math.round(ttr / 1000)),
      i.summary,
    ];
  });
}

/** Time to resolve, what is still open, and how that time is counted. */
function resolveLines(s: IncidentSummary, opts: FleetRenderOptions): string[] {
  const { t } = opts;
  const unresolved = unresolvedText(t, s);
  return [
    resolveText(t, s),
    ...(unresolved ? [unresolved] : []),
    palette(opts).dim(t('report.incidents.mttr_rule')),
  ];
}

/** Counts by category and by unit, each a two-column table after a blank line. */
function countTables(s: IncidentSummary, opts: FleetRenderOptions): string[] {
  const { t } = opts;
  const small = (title: string, rows: string[][], cut: Column['cut']) => [
    '',
    ...drawTable(
      [
        { head: upper(opts, title), flex: true, min: 12, cut },
        { head: upper(opts, t('report.col.count')), right: true },
      ],
      rows,
      { columns: opts.columns, head: palette(opts).dim },
    ),
  ];
  return [
    ...small(
      t('report.incidents.by_category'),
      s.byCategory.map((x) => [categoryLabel(opts.locale, x.category), String(x.count)]),
      'right',
    ),
    ...small(
      t('report.incidents.by_unit'),
      s.byUnit.map((x) => [x.unit, String(x.count)]),
      'left',
    ),
  ];
}

export function renderIncidentsTable(data: IncidentReportData, opts: FleetRenderOptions): string {
  const list = newestFirst(data.incidents);
  if (!opts.tty) return tsv(incidentTsv(list));
  const { t } = opts;
  const c = palette(opts);
  const clock = zoneClock(opts.timeZone);
  const s = summariseIncidents(data.incidents, new Date(data.generatedAt));
  const parts = [scopeText(opts, data.unit)];
  if (data.since) parts.push(t('report.incidents.since', { time: clock.local(data.since) }));
  const out = [c.bold(header(opts, t('report.incidents.title'), parts, data.generatedAt))];
  out.push(incidentTotalText(t, s));
  if (s.total === 0) return `${fitLines(out, opts.columns).join('\n')}\n`;
  out.push(...resolveLines(s, opts), ...countTables(s, opts));
  const { cols, rows } = incidentRows(list, opts);
  out.push(
    '',
    c.bold(t('report.incidents.list')),
    ...drawTable(cols, rows, { columns: opts.columns, head: c.dim }),
  );
  return `${fitLines(out, opts.columns).join('\n')}\n`;
}
