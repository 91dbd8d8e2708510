/**
 * The reports for a terminal: aligned tables fitted to its width, colour only
 * when allowed. When stdout is not a terminal: tab-separated rows of codes and
 * ISO times, no header and no summary (like ../human.ts; scripts that want
 * headers take csv or json). The incident report is in ./table-incidents.ts.
 */
import { formatDuration } from '../../profile/duration.js';
import { type Column, drawTable, fitLines, tableMinWidth, tsv } from '../../util/table.js';
import { countsText, STATE_ICON, scopeText, stateLabel, verdictCounts } from './labels.js';
import { incidentRows, incidentTsv, renderIncidentsTable } from './table-incidents.js';
import { header, palette, upper } from './table-parts.js';
import { zoneClock } from './time.js';
import {
  type FleetRenderOptions,
  newestFirst,
  type ReadinessReportData,
  type ReportFormatOf,
  type SiteReportData,
  type SiteState,
  sortWorstFirst,
  stateOf,
} from './types.js';

// The incident report lives in its own file; it is part of this format all the same.
export { renderIncidentsTable };

// ---- readiness ----------------------------------------------------------------

export function renderReadinessTable(data: ReadinessReportData, opts: FleetRenderOptions): string {
  const { readiness } = data;
  const sites = sortWorstFirst(readiness.sites);
  if (!opts.tty) {
    return tsv(
      sites.map((s) => [
        stateOf(s),
        s.id,
        s.name,
        s.unit,
        s.at ?? '',
        s.failing.join(','),
        s.technician ?? '',
        s.phone ?? '',
        String(s.openIncidents ?? ''),
        s.maintenance?.until ?? '',
      ]),
    );
  }
  const { t } = opts;
  const c = palette(opts);
  const clock = zoneClock(opts.timeZone);
  const out = [
    c.bold(
      header(opts, t('report.readiness.title'), [scopeText(opts, readiness.unit)], readiness.generatedAt),
    ),
  ];
  if (sites.length === 0) out.push(t('report.readiness.empty'));
  else {
    const cols: Column[] = [
      // Ids, states and times give way last (wrapped, never cut); names and units first.
      { head: upper(opts, t('report.col.state')), wrap: true, flex: 0.25, min: 12 },
      { head: upper(opts, t('report.col.site')), wrap: true, flex: 0.25, min: 10 },
      { head: upper(opts, t('report.col.name')), wrap: true, min: 10 },
      { head: upper(opts, t('report.col.unit')), flex: true, min: 10, cut: 'left' },
      { head: upper(opts, t('report.col.last_run')), wrap: true, flex: 0.25, min: 10 },
      // Which checks fail matters more than the full name: it gives way last.
      { head: upper(opts, t('report.col.failing')), wrap: ', ', flex: 0.5, min: 8 },
    ];
    // Whom to call and the open incidents, when the registry has any (an older one sends neither):
    // a column of blanks would only take the names' room.
    const contacts = sites.some((s) => s.technician || s.phone);
    const open = sites.some((s) => s.openIncidents);
    if (contacts)
      cols.push({ head: upper(opts, t('report.col.technician')), wrap: ' · ', flex: 0.5, min: 10 });
    if (open) cols.push({ head: upper(opts, t('report.col.open_incidents')), right: true, min: 4 });
    const held = sites.some((s) => s.maintenance);
    // Until when, in the table (its reason is in csv, json and html): a narrow column that does not wrap.
    if (held) cols.push({ head: upper(opts, t('report.col.maintenance')), min: 16 });
    const states = sites.map(stateOf);
    const allRows = sites.map((s, i) => {
      const st = states[i] as SiteState;
      return [
        `${STATE_ICON[st]} ${stateLabel(t, st)}`,
        s.id,
        s.name,
        s.unit,
        s.at ? clock.local(s.at) : t('report.none'),
        s.failing.join(', '),
        ...(contacts ? [[s.technician, s.phone].filter(Boolean).join(' · ')] : []),
        ...(open ? [s.openIncidents ? String(s.openIncidents) : ''] : []),
        ...(held ? [s.maintenance ? clock.local(s.maintenance.until) : ''] : []),
      ];
    });
    // On a narrow terminal the unit, then the name, give way to whom to call (the title names the
    // scope; CSV, JSON and HTML keep every column): a table wider than the terminal is unreadable.
    const shown = cols.map((_, i) => i);
    for (const drop of [3, 2]) {
      const pick = <T>(xs: readonly T[]) => shown.map((i) => xs[i] as T);
      if (tableMinWidth(pick(cols), allRows.map(pick)) <= opts.columns) break;
      shown.splice(shown.indexOf(drop), 1);
    }
    const rows = allRows.map((r) => shown.map((i) => r[i] as string));
    out.push(
      ...drawTable(
        shown.map((i) => cols[i] as Column),
        rows,
        {
          columns: opts.columns,
          head: c.dim,
          paint: (row, col, text) => (col === 0 ? c.state[states[row] as SiteState](text) : text),
        },
      ),
    );
  }
  out.push('');
  out.push(
    c.bold(
      t('report.readiness.summary', {
        sites: readiness.counts.sites,
        counts: countsText(t, readiness.counts),
      }),
    ),
  );
  out.push(c.dim(t('report.readiness.stale_rule', { time: clock.local(readiness.staleBefore) })));
  return `${fitLines(out, opts.columns).join('\n')}\n`;
}

// ---- one site -----------------------------------------------------------------

/** The site's check runs, newest first (as the registry sends them). */
function runsTable(data: SiteReportData, opts: FleetRenderOptions): string[] {
  const { t } = opts;
  if (data.runs.length === 0) return [t('report.site.no_runs')];
  const c = palette(opts);
  const clock = zoneClock(opts.timeZone);
  const cols: Column[] = [
    { head: upper(opts, t('report.col.started')) },
    { head: upper(opts, t('report.col.verdict')) },
    { head: upper(opts, t('report.col.duration')), right: true },
    { head: upper(opts, t('report.col.failing')), wrap: ', ', min: 10 },
  ];
  const rows = data.runs.map((r) => [
    clock.local(r.startedAt),
    `${STATE_ICON[r.verdict]} ${stateLabel(t, r.verdict)}`,
    formatDuration(r.durationMs),
    r.failing.join(', '),
  ]);
  return drawTable(cols, rows, {
    columns: opts.columns,
    head: c.dim,
    paint: (row, col, text) =>
      col === 1 ? c.state[(data.runs[row] as (typeof data.runs)[number]).verdict](text) : text,
  });
}

export function renderSiteTable(data: SiteReportData, opts: FleetRenderOptions): string {
  const incidents = newestFirst(data.incidents);
  if (!opts.tty) {
    const runs = data.runs.map((r) => [
      'run',
      String(r.id),
      r.startedAt,
      r.verdict,
      r.failing.join(','),
      String(r.durationMs),
    ]);
    return tsv([...runs, ...incidentTsv(incidents).map((r) => ['incident', ...r])]);
  }
  const { t } = opts;
  const c = palette(opts);
  const { site } = data;
  const out = [
    c.bold(
      header(
        opts,
        t('report.site.title', { id: site.id }),
        [`${site.name} (${site.unit})`],
        data.generatedAt,
      ),
    ),
  ];
  const counts = verdictCounts(data.runs.map((r) => r.verdict));
  out.push(t('report.site.summary', { runs: data.runs.length, counts: countsText(t, counts, false) }));
  out.push('', c.bold(t('report.site.runs')), ...runsTable(data, opts));
  out.push('', c.bold(t('report.site.incidents')));
  if (incidents.length === 0) out.push(t('report.incidents.empty'));
  else {
    const { cols, rows } = incidentRows(incidents, opts);
    out.push(...drawTable(cols, rows, { columns: opts.columns, head: c.dim }));
  }
  return `${fitLines(out, opts.columns).join('\n')}\n`;
}

export const format: ReportFormatOf<'table'> = {
  name: 'table',
  render: { readiness: renderReadinessTable, incidents: renderIncidentsTable, site: renderSiteTable },
};
