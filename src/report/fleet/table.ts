/**
 * The reports for a terminal: aligned tables fitted to its width, colour only
 * when allowed. When stdout is not a terminal: tab-separated rows of codes and
 * ISO times, no header and no summary (like ../human.ts; scripts that want
 * headers take csv or json).
 */
import { Chalk } from 'chalk';
import type { Incident } from '../../model/incident.js';
import { formatDuration } from '../../profile/duration.js';
import {
  categoryLabel,
  countsText,
  formatSpan,
  STATE_ICON,
  severityLabel,
  stateLabel,
  statusLabel,
  verdictCounts,
} from './labels.js';
import { type Column, drawTable, tsv } from './text.js';
import { zoneClock } from './time.js';
import {
  type FleetRenderOptions,
  type IncidentReportData,
  newestFirst,
  type ReadinessReportData,
  type SiteReportData,
  type SiteState,
  sortWorstFirst,
  stateOf,
  summariseIncidents,
  timeToResolveMs,
} from './types.js';

type Paint = (s: string) => string;

function palette(opts: FleetRenderOptions) {
  const c = new Chalk({ level: opts.color && opts.tty ? 1 : 0 });
  const state: Record<SiteState, Paint> = {
    ready: c.green,
    degraded: c.yellow,
    'not-ready': c.red,
    unknown: c.magenta,
    stale: c.gray,
  };
  return { c, state };
}

const upper = (opts: FleetRenderOptions, s: string) => s.toLocaleUpperCase(opts.locale);

function header(opts: FleetRenderOptions, title: string, parts: string[], generatedAt: string): string {
  const clock = zoneClock(opts.timeZone);
  const ms = Date.parse(generatedAt);
  const generated = opts.t('report.generated', {
    time: clock.local(generatedAt),
    zone: clock.offsetLabel(ms),
  });
  return [title, ...parts, generated].join(' · ');
}

const scopeText = (opts: FleetRenderOptions, unit: string | undefined) =>
  unit ? opts.t('report.scope', { unit }) : opts.t('report.scope_all');

// ---- readiness ----------------------------------------------------------------

export function renderReadinessTable(data: ReadinessReportData, opts: FleetRenderOptions): string {
  const { readiness } = data;
  const sites = sortWorstFirst(readiness.sites);
  if (!opts.tty) {
    return tsv(sites.map((s) => [stateOf(s), s.id, s.name, s.unit, s.at ?? '', s.failing.join(',')]));
  }
  const { t } = opts;
  const { c, state } = palette(opts);
  const clock = zoneClock(opts.timeZone);
  const out = [
    c.bold(
      header(opts, t('report.readiness.title'), [scopeText(opts, readiness.unit)], readiness.generatedAt),
    ),
  ];
  if (sites.length === 0) out.push(t('report.readiness.empty'));
  else {
    const cols: Column[] = [
      { head: upper(opts, t('report.col.state')) },
      { head: upper(opts, t('report.col.site')) },
      { head: upper(opts, t('report.col.name')), flex: true, min: 12 },
      { head: upper(opts, t('report.col.unit')), flex: true, min: 12 },
      { head: upper(opts, t('report.col.last_run')) },
      // Which checks fail matters more than the full name: it gives way last.
      { head: upper(opts, t('report.col.failing')), flex: 0.5, min: 10 },
    ];
    const states = sites.map(stateOf);
    const rows = sites.map((s, i) => {
      const st = states[i] as SiteState;
      return [
        `${STATE_ICON[st]} ${stateLabel(t, st)}`,
        s.id,
        s.name,
        s.unit,
        s.at ? clock.local(s.at) : t('report.none'),
        s.failing.join(', '),
      ];
    });
    out.push(
      ...drawTable(cols, rows, {
        columns: opts.columns,
        head: c.dim,
        paint: (row, col, text) => (col === 0 ? state[states[row] as SiteState](text) : text),
      }),
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
  return `${out.join('\n')}\n`;
}

// ---- incidents ----------------------------------------------------------------

function incidentRows(
  incidents: readonly Incident[],
  opts: FleetRenderOptions,
): { cols: Column[]; rows: string[][] } {
  const { t } = opts;
  const clock = zoneClock(opts.timeZone);
  const cols: Column[] = [
    { head: upper(opts, t('report.col.incident')), right: true },
    { head: upper(opts, t('report.col.site')) },
    { head: upper(opts, t('report.col.category')), flex: true, min: 10 },
    { head: upper(opts, t('report.col.severity')) },
    { head: upper(opts, t('report.col.status')) },
    { head: upper(opts, t('report.col.occurred')) },
    { head: upper(opts, t('report.col.resolved_in')) },
    { head: upper(opts, t('report.col.summary')), flex: true, min: 12 },
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

function incidentTsv(incidents: readonly Incident[]): string[][] {
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

export function renderIncidentsTable(data: IncidentReportData, opts: FleetRenderOptions): string {
  const list = newestFirst(data.incidents);
  if (!opts.tty) return tsv(incidentTsv(list));
  const { t } = opts;
  const { c } = palette(opts);
  const clock = zoneClock(opts.timeZone);
  const s = summariseIncidents(data.incidents, new Date(data.generatedAt));
  const parts = [scopeText(opts, data.unit)];
  if (data.since) parts.push(t('report.incidents.since', { time: clock.local(data.since) }));
  const out = [c.bold(header(opts, t('report.incidents.title'), parts, data.generatedAt))];
  const statusParts = (['open', 'acknowledged', 'resolved'] as const)
    .map((st) => t('report.incidents.status_count', { n: s.byStatus[st], status: statusLabel(t, st) }))
    .join(', ');
  out.push(t('report.incidents.total', { n: s.total, parts: statusParts }));
  if (s.total === 0) return `${out.join('\n')}\n`;
  out.push(
    s.resolve.count === 0
      ? t('report.incidents.mttr_none')
      : t('report.incidents.mttr', {
          mean: formatSpan(t, s.resolve.meanMs),
          median: formatSpan(t, s.resolve.medianMs),
          max: formatSpan(t, s.resolve.maxMs),
          n: s.resolve.count,
        }),
  );
  if (s.unresolved.count > 0)
    out.push(
      t('report.incidents.unresolved', {
        n: s.unresolved.count,
        age: formatSpan(t, s.unresolved.oldestAgeMs),
      }),
    );
  out.push(c.dim(t('report.incidents.mttr_rule')));
  const small = (title: string, rows: string[][]) =>
    drawTable(
      [
        { head: upper(opts, title), flex: true, min: 12 },
        { head: upper(opts, t('report.col.count')), right: true },
      ],
      rows,
      {
        columns: opts.columns,
        head: c.dim,
      },
    );
  out.push(
    '',
    ...small(
      t('report.incidents.by_category'),
      s.byCategory.map((x) => [categoryLabel(opts.locale, x.category), String(x.count)]),
    ),
  );
  out.push(
    '',
    ...small(
      t('report.incidents.by_unit'),
      s.byUnit.map((x) => [x.unit, String(x.count)]),
    ),
  );
  const { cols, rows } = incidentRows(list, opts);
  out.push(
    '',
    c.bold(t('report.incidents.list')),
    ...drawTable(cols, rows, { columns: opts.columns, head: c.dim }),
  );
  return `${out.join('\n')}\n`;
}

// ---- one site -----------------------------------------------------------------

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
  const { c, state } = palette(opts);
  const clock = zoneClock(opts.timeZone);
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
  out.push('', c.bold(t('report.site.runs')));
  if (data.runs.length === 0) out.push(t('report.site.no_runs'));
  else {
    const cols: Column[] = [
      { head: upper(opts, t('report.col.started')) },
      { head: upper(opts, t('report.col.verdict')) },
      { head: upper(opts, t('report.col.duration')), right: true },
      { head: upper(opts, t('report.col.failing')), flex: true, min: 10 },
    ];
    const rows = data.runs.map((r) => [
      clock.local(r.startedAt),
      `${STATE_ICON[r.verdict]} ${stateLabel(t, r.verdict)}`,
      formatDuration(r.durationMs),
      r.failing.join(', '),
    ]);
    out.push(
      ...drawTable(cols, rows, {
        columns: opts.columns,
        head: c.dim,
        paint: (row, col, text) =>
          col === 1 ? state[(data.runs[row] as (typeof data.runs)[number]).verdict](text) : text,
      }),
    );
  }
  out.push('', c.bold(t('report.site.incidents')));
  if (incidents.length === 0) out.push(t('report.incidents.empty'));
  else {
    const { cols, rows } = incidentRows(incidents, opts);
    out.push(...drawTable(cols, rows, { columns: opts.columns, head: c.dim }));
  }
  return `${out.join('\n')}\n`;
}
