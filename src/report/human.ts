/**
 * The technician's view: a table per site (status, check, result, key
 * figures), what to try next under every failed or warned check, and the
 * verdict. Colour only when allowed; tab-separated rows when piped.
 */
import { Chalk } from 'chalk';
import stringWidth from 'string-width';
import type { SiteRun } from '../engine/run.js';
import type { CheckResult, Status } from '../model/check.js';
import type { Verdict } from '../model/verdict.js';
import { formatDuration } from '../profile/duration.js';
import { formatMetric } from './metrics.js';
import { countStatuses, countVerdicts, type RenderOptions, type RunReport } from './types.js';

// Narrow symbols only: emoji-width ones (✔ ⚠ ✖) are drawn one column wide by most terminals but
// measured two, which breaks alignment.
export const ICON: Record<Status, string> = { pass: '✓', warn: '!', fail: '✗', skip: '–', error: '✗' };
const KEY_METRICS = 2;

export function keyMetrics(r: CheckResult): string {
  return Object.entries(r.metrics)
    .slice(0, KEY_METRICS)
    .map(([k, v]) => formatMetric(k, v))
    .join(' · ');
}

export function hintOf(r: CheckResult): string | undefined {
  if (r.status === 'pass') return undefined;
  return r.hint ?? r.error?.hint;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

function truncate(text: string, width: number): string {
  if (width <= 1 || stringWidth(text) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (stringWidth(`${out}${ch}…`) > width) break;
    out += ch;
  }
  return `${out}…`;
}

function wrap(text: string, width: number): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && stringWidth(`${line} ${w}`) > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

function siteTable(site: SiteRun, opts: RenderOptions, c: InstanceType<typeof Chalk>): string {
  const { t } = opts;
  const paint: Record<Status, (s: string) => string> = {
    pass: c.green,
    warn: c.yellow,
    fail: c.red,
    error: c.red,
    skip: c.gray,
  };
  const out: string[] = [];
  const title = site.site.unit
    ? t('check.site', { id: site.site.id, name: site.site.name, unit: site.site.unit })
    : t('check.site_file', { id: site.site.id, name: site.site.name });
  out.push(c.bold(title));
  if (site.error) {
    out.push(`  ${c.red(`${ICON.error} ${t('check.site_error', { message: site.error.message })}`)}`);
  }
  if (site.checks.length > 0) {
    const rows = site.checks.map((r) => ({
      status: `${ICON[r.status]} ${t(`status.${r.status}`)}`,
      id: r.id,
      summary: r.summary,
      metrics: keyMetrics(r),
      r,
    }));
    const head = {
      status: t('check.col.status'),
      id: t('check.col.check'),
      summary: t('check.col.result'),
      metrics: t('check.col.metrics'),
    };
    const w = {
      status: Math.max(stringWidth(head.status), ...rows.map((x) => stringWidth(x.status))),
      id: Math.max(stringWidth(head.id), ...rows.map((x) => stringWidth(x.id))),
      metrics: Math.max(stringWidth(head.metrics), ...rows.map((x) => stringWidth(x.metrics))),
    };
    const fixed = 2 + w.status + 2 + w.id + 2 + 2 + w.metrics;
    const summaryWidth = Math.max(24, Math.min(72, opts.columns - fixed));
    out.push(
      c.dim(
        `  ${pad(head.status, w.status)}  ${pad(head.id, w.id)}  ${pad(head.summary, summaryWidth)}  ${head.metrics}`,
      ),
    );
    for (const row of rows) {
      const status = paint[row.r.status](pad(row.status, w.status));
      const summary = pad(truncate(row.summary, summaryWidth), summaryWidth);
      out.push(`  ${status}  ${pad(row.id, w.id)}  ${summary}  ${row.metrics}`.trimEnd());
      const hint = hintOf(row.r);
      if (hint) {
        const lines = wrap(hint, Math.max(30, opts.columns - 8));
        for (const [i, line] of lines.entries()) out.push(`      ${i === 0 ? '→ ' : '  '}${c.cyan(line)}`);
      }
    }
  }
  const n = countStatuses(site);
  const verdictPaint: Record<Verdict, (s: string) => string> = {
    ready: c.green.bold,
    degraded: c.yellow.bold,
    'not-ready': c.red.bold,
    unknown: c.red.bold,
  };
  const needsHelp = site.verdict === 'not-ready' || site.verdict === 'degraded';
  const verdictLine = t('check.verdict_line', {
    verdict: verdictPaint[site.verdict](t(`verdict.${site.verdict}`)),
    counts: t('check.counts', n),
    duration: formatDuration(site.durationMs),
  });
  out.push(verdictLine);
  // Whom to call: the province's focal point (đầu mối) when the profile names one.
  const who = site.site.focal_point;
  if (needsHelp && who)
    out.push(c.cyan(t('check.call_focal_point', { name: who.name, phone: who.phone ?? '—' })));
  return out.join('\n');
}

function tsv(report: RunReport, opts: RenderOptions): string {
  const clean = (s: string) => s.replace(/[\t\n\r]+/g, ' ');
  const lines: string[] = [];
  for (const site of report.sites) {
    if (site.error)
      lines.push([site.site.id, '-', '-', 'error', clean(site.error.message), '', ''].join('\t'));
    for (const r of site.checks) {
      lines.push(
        [
          site.site.id,
          r.id,
          r.kind,
          r.status,
          clean(r.summary),
          clean(keyMetrics(r)),
          clean(hintOf(r) ?? ''),
        ].join('\t'),
      );
    }
    lines.push(
      [site.site.id, '-', '-', site.verdict, clean(opts.t(`verdict.${site.verdict}`)), '', ''].join('\t'),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function renderHuman(report: RunReport, opts: RenderOptions): string {
  if (!opts.tty) return tsv(report, opts);
  const c = new Chalk({ level: opts.color ? 1 : 0 });
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
  return `${blocks.join('\n\n')}\n`;
}
