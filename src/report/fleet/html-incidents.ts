/** The incident report as HTML, and the incident figures and list the other pages show too (see ./html.ts). */
import type { Incident } from '../../model/incident.js';
import { esc } from './heatmap.js';
import { heading, page } from './html-page.js';
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
import { zoneClock } from './time.js';
import {
  type FleetRenderOptions,
  type IncidentReportData,
  type IncidentSummary,
  newestFirst,
  summariseIncidents,
  timeToResolveMs,
} from './types.js';

export function incidentTable(opts: FleetRenderOptions, incidents: readonly Incident[]): string[] {
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

export function incidentFigures(opts: FleetRenderOptions, s: IncidentSummary): string[] {
  const { t } = opts;
  const out = [`<p id="incident-total">${esc(incidentTotalText(t, s))}</p>`];
  if (s.total === 0) return out;
  out.push(`<p id="mttr"><b>${esc(resolveText(t, s))}</b></p>`);
  const unresolved = unresolvedText(t, s);
  if (unresolved) out.push(`<p>${esc(unresolved)}</p>`);
  out.push(`<p class="note">${esc(t('report.incidents.mttr_rule'))}</p>`);
  return out;
}

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
    `${title} · ${data.unit || t('report.scope_all')} · ${clock.date(data.generatedAt)}`,
    body,
  );
}
