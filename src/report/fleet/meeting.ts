/**
 * `diemcau report meeting <id>` and `report meetings` (docs/meetings.md):
 * the readiness of one meeting's sites — table (fits the terminal), CSV,
 * JSON, a self-contained HTML page — and the list of meetings with counts.
 */
import type { MeetingReadiness, MeetingSiteReadiness } from '../../model/meeting.js';
import { incidentCell, type LineWords, meetingLine, siteLine } from '../../registry/meeting-summary.js';
import { csvDocument } from '../../util/csv.js';
import { peopleTime } from '../../util/local-time.js';
import { terminalText } from '../../util/sanitize.js';
import { simpleTable, wrap } from '../../util/table.js';
import { esc } from './heatmap.js';
import { heading, page } from './html-page.js';
import type { FleetRenderOptions } from './types.js';

export const MEETING_REPORT_FORMATS = ['table', 'csv', 'json', 'html'] as const;
export type MeetingReportFormat = (typeof MEETING_REPORT_FORMATS)[number];

export const MEETING_SCHEMA = 'diemcau/report-meeting@1';
export const MEETINGS_SCHEMA = 'diemcau/report-meetings@1';

/**
 * A row of `report meetings`: the meeting and the counts of its readiness (the
 * T−15 snapshot when there is one), with `during` and `line` of its readiness
 * now (incidents during it, connected; docs/meetings.md, after the meeting).
 */
export interface MeetingsRow {
  readiness: MeetingReadiness;
}

type Ro = FleetRenderOptions & { timeZone: string };

const when = (ro: Ro, iso: string) => peopleTime(iso, ro.timeZone);
const person = (p: { name: string; phone?: string } | undefined) =>
  p ? [p.name, p.phone].filter(Boolean).join(' ') : '';

/** After the meeting (docs/meetings.md): from T0 the reports add the incidents during it and the summaries. */
const started = (r: Pick<MeetingReadiness, 'during'>) => r.during !== undefined && r.during.minutes !== null;
const words = (ro: Ro): LineWords => ({ t: ro.t, locale: ro.locale, timeZone: ro.timeZone });
const duringColumn = (r: MeetingReadiness) =>
  started(r) && r.sites.some((s) => (s.incidentsDuring ?? []).length > 0);
const duringText = (ro: Ro, r: MeetingReadiness, s: MeetingSiteReadiness) =>
  (s.incidentsDuring ?? []).map((i) => incidentCell(words(ro), i, r.meeting.start)).join('; ');
/** "Summary, to quote in a report:", the meeting's line, then one line per site (worst first). */
const summaryLines = (ro: Ro, r: MeetingReadiness) => [
  ro.t('meeting.after.summary'),
  meetingLine(words(ro), r),
  ...worstFirst(r.sites).map((s) => `- ${siteLine(words(ro), r, s)}`),
];

function headLines(r: MeetingReadiness, ro: Ro): string[] {
  const { t } = ro;
  const m = r.meeting;
  const c = r.counts;
  return [
    t('meeting.report.title', { id: m.id, title: m.title }),
    t('meeting.report.when', {
      when: `${when(ro, m.start)} – ${when(ro, m.end).slice(0, 5)}`,
      bridge: m.bridgeUri ?? m.bridge,
      host: m.hostUnit,
    }),
    r.windowOpen
      ? t('meeting.report.window', { at: when(ro, r.windowStart) })
      : t('meeting.report.window_closed', { at: when(ro, r.windowStart) }),
    t('meeting.report.counts', { ...c }),
    ...(c.withIncidents ? [t('meeting.report.incidents', { n: c.withIncidents })] : []),
    ...(c.overlapping ? [t('meeting.report.overlap', { n: c.overlapping })] : []),
    ...(r.snapshot ? [t('meeting.report.snapshot', { at: when(ro, r.generatedAt) })] : []),
    ...ownConfirmLines(r, ro),
  ];
}

/** The meeting's own confirm items, numbered as the sites' cells refer to them, and how many sites confirmed all the required ones. */
function ownConfirmLines(r: MeetingReadiness, ro: Ro): string[] {
  const items = r.meeting.confirm ?? [];
  if (!items.length) return [];
  const { t } = ro;
  const done = r.sites.filter((s) =>
    (s.meetingConfirm ?? []).every((c) => !c.required || c.answer === 'confirmed'),
  ).length;
  return [
    t('meeting.report.own_confirm', { done, sites: r.sites.length }),
    ...items.map(
      (c, i) =>
        `  [${i + 1}] ${c.question}${c.required === false ? ` (${t('meeting.confirm.advisory')})` : ''}`,
    ),
  ];
}

/** A site's answers to the meeting's own items: "[1] confirmed (name 07:05)", numbered as in the head lines. */
function ownConfirmText(ro: Ro, s: MeetingSiteReadiness): string[] {
  return (s.meetingConfirm ?? []).map((c, i) => {
    const answer = ro.t(`meeting.report.own.${c.answer}`);
    const who = [c.by, c.at ? when(ro, c.at).slice(0, 5) : undefined].filter(Boolean).join(' ');
    const note = c.note ? `: ${c.note}` : '';
    return `[${i + 1}] ${answer}${note}${who ? ` (${who})` : ''}`;
  });
}

const stateWord = (ro: Ro, s: MeetingSiteReadiness) => ro.t(`meeting.state.${s.state}`);

function lastText(ro: Ro, s: MeetingSiteReadiness): string {
  if (!s.lastRun) return ro.t('meeting.report.none');
  const text = `${when(ro, s.lastRun.finishedAt)} ${ro.t(`report.state.${s.lastRun.verdict}`)}`;
  return s.lastRun.tagged ? `${text} (${ro.t('meeting.report.tagged')})` : text;
}

/** Roll call from T0: "connected to the bridge since HH:MM, N min" or "not connected"; empty before T0. */
function connectedText(ro: Ro, s: MeetingSiteReadiness): string {
  const c = s.connected;
  if (!c) return '';
  if (c.state === 'not-connected' || !c.since) return ro.t('meeting.report.not_connected');
  return ro.t('meeting.report.connected', { at: when(ro, c.since).slice(0, 5), minutes: c.minutes ?? 0 });
}

/** Who confirmed what, when: "question: yes (name 08:40)", one per confirm check. */
function confirmedText(ro: Ro, s: MeetingSiteReadiness): string {
  const own = ownConfirmText(ro, s);
  const profile = s.confirmations.map((c) => {
    const answer = ro.t(
      c.status === 'pass' || c.status === 'fail'
        ? `meeting.report.confirm.${c.status}`
        : 'meeting.report.confirm.other',
    );
    const who = [c.by, when(ro, c.at).slice(0, 5)].filter(Boolean).join(' ');
    return `${c.question ?? c.id}: ${answer} (${who})`;
  });
  return [...own, ...profile].join('; ');
}

/** The meeting-day columns, shown once a site has something for them (roll call from T0, confirm checks). */
const dayColumns = (r: MeetingReadiness) => ({
  connected: r.sites.some((s) => s.connected !== null),
  confirmed: r.sites.some((s) => s.confirmations.length > 0 || (s.meetingConfirm ?? []).length > 0),
});

function failingText(s: MeetingSiteReadiness): string {
  const parts = [...(s.lastRun && s.lastRun.verdict !== 'ready' ? s.lastRun.failing : [])];
  for (const i of s.openIncidents) parts.push(`#${i.id} ${i.summary}`);
  return parts.join(', ');
}

/** Worst first: not ready, could not check, not checked, warnings, ready. */
const ORDER: Record<MeetingSiteReadiness['state'], number> = {
  'not-ready': 0,
  unknown: 1,
  'not-checked': 2,
  degraded: 3,
  ready: 4,
};
const worstFirst = (sites: readonly MeetingSiteReadiness[]) =>
  [...sites].sort((a, b) => ORDER[a.state] - ORDER[b.state] || (a.id < b.id ? -1 : 1));

export function renderMeeting(r: MeetingReadiness, format: MeetingReportFormat, ro: Ro): string {
  const { t } = ro;
  if (format === 'json') return `${JSON.stringify({ schema: MEETING_SCHEMA, ...r }, null, 2)}\n`;
  const own = (r.meeting.confirm ?? []).length > 0;
  if (format === 'csv')
    return csvDocument(
      [
        'site',
        'name',
        'unit',
        'state',
        'last_run_at',
        'last_verdict',
        'in_window',
        'failing',
        'open_incidents',
        'technician',
        'technician_phone',
        'focal_point',
        'focal_point_phone',
        'overlaps',
        'connected',
        'connected_since',
        'minutes_connected',
        'confirmations',
        // Only for a meeting with its own confirm items (docs/meetings.md).
        ...(own ? ['meeting_confirm'] : []),
        ...(started(r) ? ['at_t15', 'incidents_during', 'summary'] : []),
      ],
      worstFirst(r.sites).map((s) => [
        s.id,
        s.name,
        s.unit,
        s.state,
        s.lastRun?.finishedAt ?? '',
        s.lastRun?.verdict ?? '',
        s.lastRun ? s.lastRun.inWindow : '',
        s.lastRun?.failing.join(' ') ?? '',
        s.openIncidents.map((i) => i.id).join(' '),
        s.technician?.name ?? '',
        s.technician?.phone ?? '',
        s.focal_point?.name ?? '',
        s.focal_point?.phone ?? '',
        s.overlaps.join(' '),
        s.connected?.state ?? '',
        s.connected?.since ?? '',
        s.connected?.minutes ?? '',
        s.confirmations.map((c) => `${c.id}=${c.status}${c.by ? `@${c.by}` : ''}`).join(' '),
        ...(own
          ? [
              (s.meetingConfirm ?? [])
                .map((c) => `${c.id}=${c.answer}${c.by ? `@${c.by}` : ''}${c.at ? `@${c.at}` : ''}`)
                .join(' '),
            ]
          : []),
        ...(started(r)
          ? [
              s.atT15 ?? '',
              (s.incidentsDuring ?? [])
                .map((i) => `${i.id}=${i.category}/${i.severity}/${i.effect}@${i.occurredAt}`)
                .join(' '),
              siteLine(words(ro), r, s),
            ]
          : []),
      ]),
      ro.bom === true,
      ro.csvRaw === true,
    );
  if (format === 'html') return meetingHtml(r, ro);
  const day = dayColumns(r);
  const table = simpleTable(
    [
      { head: t('meeting.col.site'), wrap: true, min: 10 },
      { head: t('meeting.col.state'), wrap: true, min: 8 },
      { head: t('meeting.col.last'), wrap: true, min: 10 },
      { head: t('meeting.col.failing'), wrap: true, min: 8 },
      ...(day.connected ? [{ head: t('meeting.col.connected'), wrap: true, min: 10 }] : []),
      ...(day.confirmed ? [{ head: t('meeting.col.confirmed'), wrap: true, min: 10 }] : []),
      ...(duringColumn(r) ? [{ head: t('meeting.col.during'), wrap: true, min: 10 }] : []),
      { head: t('meeting.col.call'), wrap: true, min: 10 },
    ],
    worstFirst(r.sites).map((s) => [
      s.id,
      stateWord(ro, s),
      lastText(ro, s),
      failingText(s),
      ...(day.connected ? [connectedText(ro, s)] : []),
      ...(day.confirmed ? [confirmedText(ro, s)] : []),
      ...(duringColumn(r) ? [duringText(ro, r, s)] : []),
      person(s.technician ?? s.focal_point),
    ]),
    true,
    ro.columns,
  );
  const fitLine = (l: string) =>
    Number.isFinite(ro.columns) ? wrap(terminalText(l), ro.columns) : [terminalText(l)];
  const head = headLines(r, ro).flatMap(fitLine);
  // A site's line ("- UBND xã …") wraps under its own text, not under the dash.
  const hang = (l: string) => {
    if (!l.startsWith('- ') || !Number.isFinite(ro.columns)) return fitLine(l);
    return wrap(terminalText(l.slice(2)), ro.columns - 2).map((x, i) => (i === 0 ? '- ' : '  ') + x);
  };
  const tail = started(r) ? `\n${summaryLines(ro, r).flatMap(hang).join('\n')}\n` : '';
  return `${head.join('\n')}\n\n${table}${tail}`;
}

function meetingHtml(r: MeetingReadiness, ro: Ro): string {
  const { t } = ro;
  const m = r.meeting;
  const lines = headLines(r, ro);
  const c = r.counts;
  const count = (cls: string, n: number, label: string) =>
    `<li class="${cls}"><span class="n">${n}</span>${esc(label)}</li>`;
  const day = dayColumns(r);
  const dayCells = (s: MeetingSiteReadiness) =>
    (day.connected ? `<td>${esc(connectedText(ro, s))}</td>` : '') +
    (day.confirmed ? `<td>${esc(confirmedText(ro, s))}</td>` : '') +
    (duringColumn(r) ? `<td>${esc(duringText(ro, r, s))}</td>` : '');
  const rows = worstFirst(r.sites).map(
    (s) =>
      `<tr><td>${esc(s.id)}<br><small>${esc(s.name)}</small></td><td class="st st-${s.state === 'not-checked' ? 'stale' : s.state}">${esc(stateWord(ro, s))}</td><td>${esc(lastText(ro, s))}</td><td>${esc(failingText(s))}</td>${dayCells(s)}<td>${esc(person(s.technician))}</td><td>${esc(person(s.focal_point))}</td></tr>`,
  );
  return page(ro, lines[0] as string, [
    ...heading(ro, lines[0] as string, [lines[1] as string], r.generatedAt),
    ...lines.slice(2).map((l) => `<p class="note">${esc(l)}</p>`),
    '<ul class="counts">',
    count('all', c.sites, t('meeting.col.sites')),
    count('ready', c.ready, t('meeting.state.ready')),
    count('degraded', c.degraded, t('meeting.state.degraded')),
    count('not-ready', c.notReady, t('meeting.state.not-ready')),
    count('unknown', c.unknown, t('meeting.state.unknown')),
    count('stale', c.notChecked, t('meeting.state.not-checked')),
    '</ul>',
    `<section id="sites"><div class="scroll"><table id="meeting-${m.id}">`,
    `<thead><tr>${[
      t('meeting.col.site'),
      t('meeting.col.state'),
      t('meeting.col.last'),
      t('meeting.col.failing'),
      ...(day.connected ? [t('meeting.col.connected')] : []),
      ...(day.confirmed ? [t('meeting.col.confirmed')] : []),
      ...(duringColumn(r) ? [t('meeting.col.during')] : []),
      t('meeting.col.call'),
      t('meeting.field.contact'),
    ]
      .map((h) => `<th>${esc(h)}</th>`)
      .join('')}</tr></thead>`,
    `<tbody>${rows.join('')}</tbody></table></div></section>`,
    ...(started(r) ? summaryHtml(ro, r) : []),
  ]);
}

/** The summaries as a section a report can copy: the meeting's line, then each site's. */
function summaryHtml(ro: Ro, r: MeetingReadiness): string[] {
  const [head, meeting, ...sites] = summaryLines(ro, r);
  return [
    `<section id="summary"><h2>${esc(head as string)}</h2>`,
    `<p class="summary">${esc(meeting as string)}</p>`,
    `<ul class="summary">${sites.map((l) => `<li>${esc(l.slice(2))}</li>`).join('')}</ul></section>`,
  ];
}

/** `report meetings`' after-the-meeting cells: connected of the sites, and the effects in short ("1 hoãn"). */
const connectedCell = (r: MeetingReadiness) =>
  r.during && r.during.connected !== null ? `${r.during.connected}/${r.counts.sites}` : '—';
const effectsCell = (ro: Ro, r: MeetingReadiness) => {
  const d = r.during;
  const parts = d
    ? (['postponed', 'cancelled', 'rescheduled'] as const)
        .filter((e) => d[e] > 0)
        .map((e) => ro.t(`meeting.after.short.${e}`, { n: d[e] }))
    : [];
  return parts.length ? parts.join(', ') : '—';
};
const incidentsCell = (r: MeetingReadiness) => (r.during ? String(r.during.incidents) : '—');

/** One meeting's cells in `report meetings` (table and HTML). */
const meetingsCells = (ro: Ro, r: MeetingReadiness) => [
  `${r.meeting.kind === 'emergency' ? '!' : ''}${r.meeting.id}`,
  when(ro, r.meeting.start),
  r.meeting.title,
  ro.t(`meeting.status.${r.meeting.status}`),
  `${r.counts.ready}/${r.counts.sites}`,
  connectedCell(r),
  incidentsCell(r),
  effectsCell(ro, r),
];

export function renderMeetings(
  rows: readonly MeetingsRow[],
  since: string,
  format: MeetingReportFormat,
  ro: Ro,
  /** When the list was read (the HTML page says it). */
  generatedAt = since,
): string {
  const { t } = ro;
  if (format === 'json')
    return `${JSON.stringify(
      {
        schema: MEETINGS_SCHEMA,
        since,
        meetings: rows.map((r) => ({
          meeting: r.readiness.meeting,
          counts: r.readiness.counts,
          snapshot: r.readiness.snapshot === true,
          ...(r.readiness.during ? { during: r.readiness.during } : {}),
          ...(r.readiness.line ? { line: r.readiness.line } : {}),
        })),
      },
      null,
      2,
    )}\n`;
  if (format === 'csv')
    return csvDocument(
      [
        'id',
        'title',
        'kind',
        'status',
        'start',
        'end',
        'bridge',
        'sites',
        'ready',
        'not_ready',
        'not_checked',
        'with_incidents',
        'from_snapshot',
        'ready_at_t15',
        'connected',
        'incidents_during',
        'postponed',
        'cancelled',
        'rescheduled',
        'summary',
      ],
      rows.map(({ readiness: r }) => [
        r.meeting.id,
        r.meeting.title,
        r.meeting.kind,
        r.meeting.status,
        r.meeting.start,
        r.meeting.end,
        r.meeting.bridge,
        r.counts.sites,
        r.counts.ready,
        r.counts.notReady,
        r.counts.notChecked,
        r.counts.withIncidents,
        r.snapshot === true,
        r.during?.readyAtT15 ?? '',
        r.during?.connected ?? '',
        r.during?.incidents ?? '',
        r.during?.postponed ?? '',
        r.during?.cancelled ?? '',
        r.during?.rescheduled ?? '',
        meetingLine(words(ro), r),
      ]),
      ro.bom === true,
      ro.csvRaw === true,
    );
  const title = t('meeting.reports.title', { since: when(ro, since) });
  if (format === 'html') return meetingsHtml(rows, title, generatedAt, ro);
  if (rows.length === 0) return `${t('meeting.reports.empty')}\n`;
  const table = simpleTable(
    [
      { head: t('meeting.col.id'), min: 3 },
      { head: t('meeting.col.when'), min: 16 },
      { head: t('meeting.col.title'), wrap: true, min: 10 },
      { head: t('meeting.col.status'), wrap: true, min: 8 },
      { head: t('meeting.col.ready'), min: 5 },
      { head: t('meeting.col.connected_n'), wrap: true, min: 5 },
      { head: t('meeting.col.incidents'), wrap: true, min: 5 },
      { head: t('meeting.col.effects'), wrap: true, min: 6 },
    ],
    rows.map(({ readiness: r }) => meetingsCells(ro, r)),
    true,
    ro.columns,
  );
  return `${wrap(title, ro.columns).join('\n')}\n\n${table}`;
}

/** `report meetings --format html`: one row per meeting, and each meeting's line to quote. */
function meetingsHtml(rows: readonly MeetingsRow[], title: string, generatedAt: string, ro: Ro): string {
  const { t } = ro;
  const heads = [
    t('meeting.col.id'),
    t('meeting.col.when'),
    t('meeting.col.title'),
    t('meeting.col.status'),
    t('meeting.col.ready'),
    t('meeting.col.connected_n'),
    t('meeting.col.incidents'),
    t('meeting.col.effects'),
  ];
  const body = rows.map(({ readiness: r }) =>
    meetingsCells(ro, r)
      .map((c) => `<td>${esc(c)}</td>`)
      .join(''),
  );
  return page(ro, title, [
    ...heading(ro, title, [], generatedAt),
    rows.length === 0 ? `<p class="note">${esc(t('meeting.reports.empty'))}</p>` : '',
    '<section id="meetings"><div class="scroll"><table id="meetings-list">',
    `<thead><tr>${heads.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>${body.map((b) => `<tr>${b}</tr>`).join('')}</tbody></table></div></section>`,
    `<section id="summary"><h2>${esc(t('meeting.after.summary'))}</h2><ul class="summary">${rows
      .map(({ readiness: r }) => `<li>${esc(meetingLine(words(ro), r))}</li>`)
      .join('')}</ul></section>`,
  ]);
}
