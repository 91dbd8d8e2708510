/**
 * The technician's view: a table per site (status, check, result, key
 * figures), what to try next under every failed or warned check, and the
 * verdict. Colour only when allowed; tab-separated rows when piped.
 */
import type { SiteRun } from '../engine/run.js';
import type { MessageKey, Translator } from '../i18n/index.js';
import type { CheckResult, Status } from '../model/check.js';
import { formatDuration } from '../profile/duration.js';
import { colorScheme, type Scheme } from '../util/colors.js';
import { terminalText } from '../util/sanitize.js';
import { type Column, drawTableRows, fitLines, tsv, width, wrapFit } from '../util/table.js';
import { countStatuses, countVerdicts } from './counts.js';
import { formatMetric, splitMetric } from './metrics.js';
import type { RenderOptions, RunFormat, RunReport } from './types.js';

// Narrow symbols only: emoji-width ones (✔ ⚠ ✖) are drawn one column wide by most terminals but
// measured two, which breaks alignment.
export const ICON: Record<Status, string> = { pass: '✓', warn: '!', fail: '✗', skip: '–', error: '✗' };
const KEY_METRICS = 2;
const SEP = ' · ';

/**
 * The first figures of a check, named in the reader's language (`gửi 20 · nhận 20`)
 * when the catalogue has the metric (`metric.<name>`); machine formats keep the raw names.
 */
export function keyMetrics(r: CheckResult, t?: Translator): string {
  return Object.entries(r.metrics)
    .slice(0, KEY_METRICS)
    .map(([k, v]) => {
      const raw = formatMetric(k, v);
      if (!t) return raw;
      const { base } = splitMetric(k);
      const key = `metric.${base}` as MessageKey;
      const label = t(key);
      return label === key ? raw : `${label}${raw.slice(base.length)}`;
    })
    .join(SEP);
}

export function hintOf(r: CheckResult): string | undefined {
  if (r.status === 'pass') return undefined;
  return r.hint ?? r.error?.hint;
}

function siteTitle(site: SiteRun, opts: RenderOptions): string {
  const { t } = opts;
  return site.site.unit
    ? t('check.site', { id: site.site.id, name: terminalText(site.site.name), unit: site.site.unit })
    : t('check.site_file', { id: site.site.id, name: terminalText(site.site.name) });
}

/** The checks' table, with what to try next under each failed or warned one. */
function checkRows(site: SiteRun, opts: RenderOptions, c: Scheme): string[] {
  const { t } = opts;
  const rows = site.checks.map((r) => [
    `${ICON[r.status]} ${t(`status.${r.status}`)}`,
    r.id,
    r.summary,
    keyMetrics(r, t),
  ]);
  const heads = ['check.col.status', 'check.col.check', 'check.col.result', 'check.col.metrics'] as const;
  const [status, id, summary, metrics] = heads.map((k) => t(k)) as [string, string, string, string];
  // A figure (`tải xuống 146 Mbps`) stays on one line when it can; the rest of the width goes
  // to the result, which wraps rather than losing its key words.
  const figure = Math.max(width(metrics), ...rows.flatMap((r) => (r[3] as string).split(SEP).map(width)));
  const cols: Column[] = [
    { head: status },
    { head: id, wrap: true, flex: 0.5, min: 10 },
    { head: summary, wrap: true, flex: 1, min: 24 },
    { head: metrics, wrap: SEP, flex: 2, min: Math.min(figure, 22) },
  ];
  const { head, rows: lines } = drawTableRows(cols, rows, {
    columns: opts.columns,
    indent: '  ',
    head: c.dim,
    paint: (row, col, text) => (col === 0 ? c.status[(site.checks[row] as CheckResult).status](text) : text),
  });
  const out = [head];
  for (const [i, drawn] of lines.entries()) {
    out.push(...drawn);
    const hint = hintOf(site.checks[i] as CheckResult);
    if (!hint) continue;
    for (const [j, part] of wrapFit(terminalText(hint), Math.max(30, opts.columns - 8)).entries())
      out.push(`      ${j === 0 ? '→ ' : '  '}${c.cyan(part)}`);
  }
  return out;
}

function siteTable(site: SiteRun, opts: RenderOptions, c: Scheme): string {
  const { t } = opts;
  const out = [c.bold(siteTitle(site, opts))];
  if (site.meeting) out.push(`  ${t('check.meeting', { id: site.meeting })}`);
  if (site.error)
    out.push(
      `  ${c.red(`${ICON.error} ${t('check.site_error', { message: terminalText(site.error.message) })}`)}`,
    );
  if (site.checks.length > 0) out.push(...checkRows(site, opts, c));
  out.push(
    t('check.verdict_line', {
      verdict: c.verdict[site.verdict](t(`verdict.${site.verdict}`)),
      counts: t('check.counts', countStatuses(site)),
      duration: formatDuration(site.durationMs),
    }),
  );
  // Whom to call: the province's focal point (đầu mối) when the profile names one.
  const who = site.site.focal_point;
  const needsHelp = site.verdict === 'not-ready' || site.verdict === 'degraded';
  if (needsHelp && who)
    out.push(c.cyan(t('check.call_focal_point', { name: who.name, phone: who.phone ?? '—' })));
  return out.join('\n');
}

/** Piped: a line per check and per verdict, codes rather than words where scripts match them. */
function rowsForScripts(report: RunReport, opts: RenderOptions): string[][] {
  const rows: string[][] = [];
  for (const site of report.sites) {
    if (site.error) rows.push([site.site.id, '-', '-', 'error', site.error.message, '', '']);
    for (const r of site.checks)
      rows.push([site.site.id, r.id, r.kind, r.status, r.summary, keyMetrics(r), hintOf(r) ?? '']);
    rows.push([site.site.id, '-', '-', site.verdict, opts.t(`verdict.${site.verdict}`), '', '']);
  }
  return rows;
}

export function renderHuman(report: RunReport, opts: RenderOptions): string {
  if (!opts.tty) return tsv(rowsForScripts(report, opts));
  const c = colorScheme(opts.color);
  const blocks = report.sites.map((s) => siteTable(s, opts, c));
  if (report.sites.length > 1) {
    const v = countVerdicts(report);
    blocks.push(
      c.bold(
        opts.t('check.sweep_line', {
          sites: report.sites.length,
          ready: v.ready,
          degraded: v.degraded,
          notReady: v['not-ready'],
          unknown: v.unknown,
        }),
      ),
    );
  }
  if (opts.upload) blocks.push(opts.t('check.upload_line', opts.upload));
  // Titles and verdict lines wrap too, so nothing is wider than the terminal.
  return `${fitLines(blocks.join('\n\n').split('\n'), opts.columns).join('\n')}\n`;
}

export const format: RunFormat<'human'> = { name: 'human', render: renderHuman };
