import type { ReadinessSite } from '../../model/report.js';
import { formatDuration } from '../../profile/duration.js';
import { dailyFromRuns } from './daily.js';
import { esc, heatmapSvg, swatch } from './heatmap.js';
import { incidentFigures, incidentTable, renderIncidentsHtml } from './html-incidents.js';
import { heading, page } from './html-page.js';
import { countsText, maintenanceText, STATE_ICON, scopeText, stateLabel, verdictCounts } from './labels.js';
import { lastDays, zoneClock } from './time.js';
import {
  type FleetRenderOptions,
  newestFirst,
  type ReadinessReportData,
  type ReportFormatOf,
  SITE_STATES,
  type SiteReportData,
  type SiteState,
  sortWorstFirst,
  stateOf,
  summariseIncidents,
} from './types.js';

function stateCell(opts: FleetRenderOptions, state: SiteState): string {
  return `<td class="st st-${state}">${STATE_ICON[state]} ${esc(stateLabel(opts.t, state))}`;
}

function countCards(
  opts: FleetRenderOptions,
  total: { n: number; label: string },
  counts: Record<SiteState, number>,
  states: readonly SiteState[],
): string {
  const items = [
    `<li class="all" data-state="all"><span class="n">${total.n}</span>${esc(total.label)}</li>`,
  ];
  for (const s of states) {
    items.push(
      `<li class="${s}" data-state="${s}"><span class="n">${counts[s]}</span>${STATE_ICON[s]} ${esc(stateLabel(opts.t, s))}</li>`,
    );
  }
  return `<ul class="counts">${items.join('')}</ul>`;
}

function legend(opts: FleetRenderOptions, staleBefore: string | undefined): string[] {
  const { t } = opts;
  const clock = zoneClock(opts.timeZone);
  const items: string[] = [];
  for (const s of SITE_STATES) {
    if ((s === 'stale' || s === 'never') && !staleBefore) continue;
    const text =
      s === 'stale' ? t('report.legend.stale', { time: clock.local(staleBefore) }) : t(`report.legend.${s}`);
    items.push(
      `<li>${swatch(s)}<b class="st st-${s}">${STATE_ICON[s]} ${esc(stateLabel(t, s))}</b> ${esc(text)}</li>`,
    );
  }
  items.push(`<li>${swatch('none')}<b>${esc(stateLabel(t, null))}</b> ${esc(t('report.legend.none'))}</li>`);
  return [
    `<section id="legend"><h2>${esc(t('report.html.legend'))}</h2>`,
    `<ul class="legend">${items.join('\n')}</ul></section>`,
  ];
}

// The incident report lives in its own file; it is part of this format all the same.
export { renderIncidentsHtml };

// ---- readiness ----------------------------------------------------------------

/** The sites × days grid, its rows in the table's order (worst first); sites the readiness list lacks go last. */
function heatmapSection(
  data: ReadinessReportData,
  sites: readonly ReadinessSite[],
  opts: FleetRenderOptions,
): string[] {
  const { t } = opts;
  const body = [`<section id="heatmap"><h2>${esc(t('report.html.heatmap'))}</h2>`];
  if (data.daily && data.daily.days.length > 0 && data.daily.sites.length > 0) {
    const rank = new Map(sites.map((s, i) => [s.id, i]));
    const rows = [...data.daily.sites].sort(
      (a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity),
    );
    body.push(
      `<p class="note">${esc(t('report.html.heatmap_note'))}</p>`,
      '<div class="scroll">',
      heatmapSvg({ days: data.daily.days, sites: rows }, opts),
      '</div>',
    );
  } else body.push(`<p class="note">${esc(t('report.html.no_daily'))}</p>`);
  body.push('</section>');
  return body;
}

/** Every site, worst first. */
function sitesSection(sites: readonly ReadinessSite[], opts: FleetRenderOptions): string[] {
  const { t } = opts;
  const clock = zoneClock(opts.timeZone);
  const body = [`<section id="sites"><h2>${esc(t('report.html.sites'))}</h2>`];
  if (sites.length === 0) body.push(`<p>${esc(t('report.readiness.empty'))}</p>`);
  else {
    const head = [
      'state',
      'site',
      'name',
      'unit',
      'last_run',
      'failing',
      'technician',
      'phone',
      'open_incidents',
      'maintenance',
    ]
      .map((k) => `<th>${esc(t(`report.col.${k}` as 'report.col.state'))}`)
      .join('');
    const rows = sites.map((s) => {
      const state = stateOf(s);
      return (
        `<tr>${stateCell(opts, state)}<td>${esc(s.id)}<td>${esc(s.name)}<td>${esc(s.unit)}` +
        `<td>${s.at ? esc(clock.local(s.at)) : t('report.none')}<td>${esc(s.failing.join(', '))}` +
        `<td>${esc(s.technician ?? '')}<td>${esc(s.phone ?? '')}<td class="num">${s.openIncidents ?? ''}` +
        `<td>${esc(maintenanceText(t, clock, s))}`
      );
    });
    body.push(
      '<div class="scroll">',
      '<table id="sites-table">',
      `<thead><tr>${head}</thead>`,
      '<tbody>',
      ...rows,
      '</tbody></table>',
      '</div>',
    );
  }
  body.push('</section>');
  return body;
}

export function renderReadinessHtml(data: ReadinessReportData, opts: FleetRenderOptions): string {
  const { t } = opts;
  const { readiness } = data;
  const clock = zoneClock(opts.timeZone);
  const sites = sortWorstFirst(readiness.sites);
  const title = t('report.readiness.title');
  const c = readiness.counts;
  const counts: Record<SiteState, number> = {
    ready: c.ready,
    degraded: c.degraded,
    'not-ready': c.notReady,
    unknown: c.unknown,
    stale: c.stale,
    never: c.never ?? 0,
  };
  const shown = SITE_STATES.filter(
    (s) => (s !== 'unknown' || c.unknown > 0) && (s !== 'never' || (c.never ?? 0) > 0),
  );
  const body: string[] = [
    ...heading(opts, title, [scopeText(opts, readiness.unit)], readiness.generatedAt),
    `<section id="summary"><h2>${esc(t('report.html.summary'))}</h2>`,
    countCards(opts, { n: c.sites, label: t('report.col.site') }, counts, shown),
    `<p id="summary-line">${esc(t('report.readiness.summary', { sites: c.sites, counts: countsText(t, c) }))}</p>`,
    `<p class="note">${esc(t('report.readiness.stale_rule', { time: clock.local(readiness.staleBefore) }))}</p>`,
    '</section>',
  ];

  body.push(...heatmapSection(data, sites, opts), ...sitesSection(sites, opts));

  if (data.incidents) {
    const list = newestFirst(data.incidents);
    body.push(`<section id="incidents"><h2>${esc(t('report.site.incidents'))}</h2>`);
    body.push(...incidentFigures(opts, summariseIncidents(list, new Date(readiness.generatedAt))));
    if (list.length > 0) body.push('<div class="scroll">', ...incidentTable(opts, list), '</div>');
    body.push('</section>');
  }
  body.push(...legend(opts, readiness.staleBefore));
  return page(
    opts,
    `${title} · ${readiness.unit || t('report.scope_all')} · ${clock.date(readiness.generatedAt)}`,
    body,
  );
}

// ---- one site -----------------------------------------------------------------

/** Days the site heatmap covers when the data brings none: the last 30 up to the report's date. */
export const SITE_DAYS = 30;

/** The site's check runs, newest first. */
function runsTable(data: SiteReportData, opts: FleetRenderOptions): string[] {
  const { t } = opts;
  if (data.runs.length === 0) return [`<p>${esc(t('report.site.no_runs'))}</p>`];
  const clock = zoneClock(opts.timeZone);
  const head = ['started', 'verdict', 'duration', 'failing']
    .map((k) => `<th>${esc(t(`report.col.${k}` as 'report.col.state'))}`)
    .join('');
  const rows = data.runs.map(
    (r) =>
      `<tr><td>${esc(clock.local(r.startedAt))}${stateCell(opts, r.verdict)}<td>${esc(formatDuration(r.durationMs))}<td>${esc(r.failing.join(', '))}`,
  );
  return ['<table id="runs-table">', `<thead><tr>${head}</thead>`, '<tbody>', ...rows, '</tbody></table>'];
}

export function renderSiteHtml(data: SiteReportData, opts: FleetRenderOptions): string {
  const { t } = opts;
  const clock = zoneClock(opts.timeZone);
  const { site } = data;
  const title = t('report.site.title', { id: site.id });
  const c = verdictCounts(data.runs.map((r) => r.verdict));
  const counts: Record<SiteState, number> = {
    ready: c.ready,
    degraded: c.degraded,
    'not-ready': c.notReady,
    unknown: c.unknown,
    stale: 0,
    never: 0,
  };
  const daily =
    data.daily ??
    dailyFromRuns(
      data.runs,
      lastDays(new Date(data.generatedAt), SITE_DAYS, opts.timeZone),
      [site.id],
      opts.timeZone,
    );
  const body = [
    ...heading(opts, title, [`${site.name} (${site.unit})`], data.generatedAt),
    `<section id="summary"><h2>${esc(t('report.html.summary'))}</h2>`,
    countCards(
      opts,
      { n: data.runs.length, label: t('report.site.runs_count') },
      counts,
      (['not-ready', 'unknown', 'degraded', 'ready'] as const).filter(
        (s) => s !== 'unknown' || c.unknown > 0,
      ),
    ),
    `<p id="summary-line">${esc(t('report.site.summary', { runs: data.runs.length, counts: countsText(t, c, false) }))}</p>`,
    '</section>',
    `<section id="heatmap"><h2>${esc(t('report.html.heatmap'))}</h2>`,
    heatmapSvg(daily, opts),
    '</section>',
    `<section id="runs"><h2>${esc(t('report.site.runs'))}</h2>`,
  ];
  body.push(...runsTable(data, opts));
  body.push('</section>', `<section id="incidents"><h2>${esc(t('report.site.incidents'))}</h2>`);
  const list = newestFirst(data.incidents);
  if (list.length === 0) body.push(`<p>${esc(t('report.incidents.empty'))}</p>`);
  else body.push(...incidentTable(opts, list));
  body.push('</section>', ...legend(opts, undefined));
  return page(opts, `${title} · ${clock.date(data.generatedAt)}`, body);
}

export const format: ReportFormatOf<'html'> = {
  name: 'html',
  render: { readiness: renderReadinessHtml, incidents: renderIncidentsHtml, site: renderSiteHtml },
};
