/**
 * One self-contained HTML file per report, in the chosen language: inline
 * CSS, inline SVG, no script, no font, no URL to anything outside the file (a
 * Content-Security-Policy forbids loading any), so it opens from an e-mail
 * attachment on a machine with no network. Big tables omit the optional
 * closing </td> and </tr> tags (valid HTML) to keep 10,000 sites small.
 */
import type { Incident } from '../../model/incident.js';
import { formatDuration } from '../../profile/duration.js';
import { dailyFromRuns } from './daily.js';
import { esc, HEATMAP_CSS, heatmapSvg, SVG_DEFS, swatch } from './heatmap.js';
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
import { lastDays, zoneClock } from './time.js';
import {
  type FleetRenderOptions,
  type IncidentReportData,
  type IncidentSummary,
  newestFirst,
  type ReadinessReportData,
  SITE_STATES,
  type SiteReportData,
  type SiteState,
  sortWorstFirst,
  stateOf,
  summariseIncidents,
  timeToResolveMs,
} from './types.js';

const CSS = `
*{box-sizing:border-box}
body{margin:0 auto;max-width:1280px;padding:24px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",Arial,sans-serif;color:#1d2329;background:#fff}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde1e6;padding-bottom:4px}
.meta,.note{color:#5b6570;margin:2px 0}
.counts{display:flex;flex-wrap:wrap;gap:10px;list-style:none;padding:0;margin:12px 0}
.counts li{border:1px solid #dde1e6;border-left-width:8px;border-radius:6px;padding:6px 14px;min-width:150px}
.counts .n{display:block;font-size:26px;font-weight:700;font-variant-numeric:tabular-nums}
.counts .all{border-left-color:#1d2329}.counts .ready{border-left-color:#2e7d32}.counts .degraded{border-left-color:#e0a100}
.counts .not-ready{border-left-color:#c62828}.counts .unknown{border-left-color:#6a3d9a}.counts .stale{border-left-color:#8a8f98}
.scroll{max-height:70vh;overflow:auto;border:1px solid #dde1e6;border-radius:6px;padding:6px;background:#fafbfc}
#sites .scroll,#incidents .scroll{content-visibility:auto;contain-intrinsic-size:auto 70vh}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eceff2;vertical-align:top}
th{background:#f3f5f7;position:sticky;top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.st{white-space:nowrap;font-weight:600}
.st-ready{color:#1b5e20}.st-degraded{color:#7a5600}.st-not-ready{color:#b71c1c}.st-unknown{color:#4a2a72}.st-stale{color:#555}
#incidents-table td:last-child{white-space:pre-line}
.bar{display:inline-block;height:10px;background:#5b7fa6;border-radius:2px;vertical-align:middle}
.legend{list-style:none;padding:0}.legend li{display:flex;gap:10px;align-items:center;margin:5px 0}
.defs{position:absolute}
footer{margin-top:32px;color:#5b6570;font-size:12px}
@media print{.scroll{max-height:none;overflow:visible;border:0}th{position:static}}
${HEATMAP_CSS}`;

function page(opts: FleetRenderOptions, title: string, body: string[]): string {
  return [
    '<!doctype html>',
    `<html lang="${opts.locale}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="diemcau">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    SVG_DEFS,
    ...body,
    `<footer>${esc(opts.t('report.html.footer'))}</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function heading(opts: FleetRenderOptions, title: string, parts: string[], generatedAt: string): string[] {
  const clock = zoneClock(opts.timeZone);
  const generated = opts.t('report.generated', {
    time: `<time datetime="${esc(generatedAt)}">${esc(clock.local(generatedAt))}</time>`,
    zone: esc(clock.offsetLabel(Date.parse(generatedAt))),
  });
  return [
    `<header><h1>${esc(title)}</h1>`,
    `<p class="meta">${[...parts.map(esc), generated].join(' · ')}</p></header>`,
  ];
}

const scopeText = (opts: FleetRenderOptions, unit: string | undefined) =>
  unit ? opts.t('report.scope', { unit }) : opts.t('report.scope_all');

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
    if (s === 'stale' && !staleBefore) continue;
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

function incidentTable(opts: FleetRenderOptions, incidents: readonly Incident[]): string[] {
  const { t } = opts;
  const clock = zoneClock(opts.timeZone);
  const head = [
    `<th class="num">${esc(t('report.col.incident'))}`,
    `<th>${esc(t('report.col.site'))}`,
    `<th>${esc(t('report.col.category'))}`,
    `<th>${esc(t('report.col.severity'))}`,
    `<th>${esc(t('report.col.status'))}`,
    `<th>${esc(t('report.col.occurred'))}`,
    `<th>${esc(t('report.col.resolved_in'))}`,
    `<th>${esc(t('report.col.summary'))}`,
  ].join('');
  const rows = incidents.map(
    (i) =>
      `<tr class="sev-${i.severity}"><td class="num">${i.id}<td>${esc(i.site.id)}<td>${esc(categoryLabel(opts.locale, i.category))}` +
      `<td>${esc(severityLabel(t, i.severity))}<td>${esc(statusLabel(t, i.status))}<td>${esc(clock.local(i.occurredAt))}` +
      `<td>${esc(formatSpan(t, timeToResolveMs(i)))}<td>${esc(i.summary)}`,
  );
  return [
    '<table id="incidents-table">',
    `<thead><tr>${head}</thead>`,
    '<tbody>',
    ...rows,
    '</tbody></table>',
  ];
}

function incidentFigures(opts: FleetRenderOptions, s: IncidentSummary): string[] {
  const { t } = opts;
  const parts = (['open', 'acknowledged', 'resolved'] as const)
    .map((st) => t('report.incidents.status_count', { n: s.byStatus[st], status: statusLabel(t, st) }))
    .join(', ');
  const out = [`<p id="incident-total">${esc(t('report.incidents.total', { n: s.total, parts }))}</p>`];
  if (s.total === 0) return out;
  const mttr =
    s.resolve.count === 0
      ? t('report.incidents.mttr_none')
      : t('report.incidents.mttr', {
          mean: formatSpan(t, s.resolve.meanMs),
          median: formatSpan(t, s.resolve.medianMs),
          max: formatSpan(t, s.resolve.maxMs),
          n: s.resolve.count,
        });
  out.push(`<p id="mttr"><b>${esc(mttr)}</b></p>`);
  if (s.unresolved.count > 0) {
    out.push(
      `<p>${esc(t('report.incidents.unresolved', { n: s.unresolved.count, age: formatSpan(t, s.unresolved.oldestAgeMs) }))}</p>`,
    );
  }
  out.push(`<p class="note">${esc(t('report.incidents.mttr_rule'))}</p>`);
  return out;
}

// ---- readiness ----------------------------------------------------------------

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
  };
  const shown = SITE_STATES.filter((s) => s !== 'unknown' || c.unknown > 0);
  const body: string[] = [
    ...heading(opts, title, [scopeText(opts, readiness.unit)], readiness.generatedAt),
    `<section id="summary"><h2>${esc(t('report.html.summary'))}</h2>`,
    countCards(opts, { n: c.sites, label: t('report.col.site') }, counts, shown),
    `<p id="summary-line">${esc(t('report.readiness.summary', { sites: c.sites, counts: countsText(t, c) }))}</p>`,
    `<p class="note">${esc(t('report.readiness.stale_rule', { time: clock.local(readiness.staleBefore) }))}</p>`,
    '</section>',
  ];

  body.push(`<section id="heatmap"><h2>${esc(t('report.html.heatmap'))}</h2>`);
  if (data.daily && data.daily.days.length > 0 && data.daily.sites.length > 0) {
    // Heatmap rows in the table's order (worst first); sites the readiness list lacks go last.
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

  body.push(`<section id="sites"><h2>${esc(t('report.html.sites'))}</h2>`);
  if (sites.length === 0) body.push(`<p>${esc(t('report.readiness.empty'))}</p>`);
  else {
    const head = ['state', 'site', 'name', 'unit', 'last_run', 'failing']
      .map((k) => `<th>${esc(t(`report.col.${k}` as 'report.col.state'))}`)
      .join('');
    const rows = sites.map((s) => {
      const state = stateOf(s);
      return (
        `<tr>${stateCell(opts, state)}<td>${esc(s.id)}<td>${esc(s.name)}<td>${esc(s.unit)}` +
        `<td>${s.at ? esc(clock.local(s.at)) : t('report.none')}<td>${esc(s.failing.join(', '))}`
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
    `${title} · ${readiness.unit || t('report.scope_all')} · ${clock.local(readiness.generatedAt).slice(0, 10)}`,
    body,
  );
}

// ---- incidents ----------------------------------------------------------------

function countTable(id: string, head: [string, string], rows: Array<[string, number]>): string[] {
  const max = Math.max(1, ...rows.map((r) => r[1]));
  return [
    `<table id="${id}"><thead><tr><th>${esc(head[0])}<th class="num">${esc(head[1])}<th></thead><tbody>`,
    ...rows.map(
      ([label, n]) =>
        `<tr><td>${esc(label)}<td class="num">${n}<td><span class="bar" style="width:${Math.round((n / max) * 200)}px"></span>`,
    ),
    '</tbody></table>',
  ];
}

export function renderIncidentsHtml(data: IncidentReportData, opts: FleetRenderOptions): string {
  const { t } = opts;
  const clock = zoneClock(opts.timeZone);
  const list = newestFirst(data.incidents);
  const s = summariseIncidents(list, new Date(data.generatedAt));
  const title = t('report.incidents.title');
  const parts = [scopeText(opts, data.unit)];
  if (data.since) parts.push(t('report.incidents.since', { time: clock.local(data.since) }));
  const body = [
    ...heading(opts, title, parts, data.generatedAt),
    `<section id="summary"><h2>${esc(t('report.html.summary'))}</h2>`,
    ...incidentFigures(opts, s),
    '</section>',
  ];
  if (s.total > 0) {
    const count = t('report.col.count');
    body.push(
      `<section id="by-category"><h2>${esc(t('report.incidents.by_category'))}</h2>`,
      ...countTable(
        'by-category-table',
        [t('report.col.category'), count],
        s.byCategory.map((x) => [categoryLabel(opts.locale, x.category), x.count]),
      ),
      '</section>',
      `<section id="by-unit"><h2>${esc(t('report.incidents.by_unit'))}</h2>`,
      ...countTable(
        'by-unit-table',
        [t('report.col.unit'), count],
        s.byUnit.map((x) => [x.unit, x.count]),
      ),
      '</section>',
      `<section id="incidents"><h2>${esc(t('report.incidents.list'))}</h2>`,
      ...incidentTable(opts, list),
      '</section>',
    );
  }
  return page(
    opts,
    `${title} · ${data.unit || t('report.scope_all')} · ${clock.local(data.generatedAt).slice(0, 10)}`,
    body,
  );
}

// ---- one site -----------------------------------------------------------------

/** Days the site heatmap covers when the data brings none: the last 30 up to the report's date. */
export const SITE_DAYS = 30;

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
  if (data.runs.length === 0) body.push(`<p>${esc(t('report.site.no_runs'))}</p>`);
  else {
    const head = ['started', 'verdict', 'duration', 'failing']
      .map((k) => `<th>${esc(t(`report.col.${k}` as 'report.col.state'))}`)
      .join('');
    const rows = data.runs.map(
      (r) =>
        `<tr><td>${esc(clock.local(r.startedAt))}${stateCell(opts, r.verdict)}<td>${esc(formatDuration(r.durationMs))}<td>${esc(r.failing.join(', '))}`,
    );
    body.push(
      '<table id="runs-table">',
      `<thead><tr>${head}</thead>`,
      '<tbody>',
      ...rows,
      '</tbody></table>',
    );
  }
  body.push('</section>', `<section id="incidents"><h2>${esc(t('report.site.incidents'))}</h2>`);
  const list = newestFirst(data.incidents);
  if (list.length === 0) body.push(`<p>${esc(t('report.incidents.empty'))}</p>`);
  else body.push(...incidentTable(opts, list));
  body.push('</section>', ...legend(opts, undefined));
  return page(opts, `${title} · ${clock.local(data.generatedAt).slice(0, 10)}`, body);
}
