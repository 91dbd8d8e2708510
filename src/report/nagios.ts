/**
 * Monitoring Plugins output (docs/run-format.md, "Nagios"): one status line,
 * perfdata after `|` (`'label'=value[UOM];warn;crit;min;max`, thresholds in
 * the Monitoring Plugins range syntax), then long text that lists only what
 * is not OK. The exit code is the verdict's (0 OK, 1 WARNING, 2 CRITICAL,
 * 3 UNKNOWN). The status line stays within NRPE 2's 1,024 bytes and the whole
 * output within `--nagios-max-bytes` (Nagios' own default, 8 KB).
 */
import type { Direction } from '../checks/types.js';
import type { SiteRun } from '../engine/run.js';
import type { CheckResult } from '../model/check.js';
import { nagiosText } from '../util/sanitize.js';
import { countVerdicts } from './counts.js';
import { metricLimits } from './limits.js';
import { nagiosUom } from './metrics.js';
import type { RenderOptions, RunFormat, RunReport } from './types.js';

const STATE = { ready: 'OK', degraded: 'WARNING', 'not-ready': 'CRITICAL', unknown: 'UNKNOWN' } as const;
type State = (typeof STATE)[keyof typeof STATE];
const RANK: Record<State, number> = { OK: 0, WARNING: 1, UNKNOWN: 2, CRITICAL: 3 };

/** Nagios' default output limit; `--nagios-max-bytes` changes it. */
export const NAGIOS_MAX_BYTES = 8192;
/** NRPE 2.x keeps 1,024 bytes of output, newline included. */
export const STATUS_LINE_BYTES = 1024;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The first `max` bytes of `text` (whole characters), with `…` when cut. */
function cutBytes(text: string, max: number): string {
  if (bytes(text) <= max) return text;
  let out = '';
  for (const ch of text) {
    if (bytes(out) + bytes(ch) + bytes('…') > max) break;
    out += ch;
  }
  return `${out}…`;
}

/** A number as perfdata writes it: plain decimal, no exponent. */
function perfNumber(v: number): string {
  const text = String(Number(v.toPrecision(10)));
  return text.includes('e') ? v.toFixed(10).replace(/\.?0+$/, '') : text;
}

/**
 * A limit as a Monitoring Plugins range, which alerts when the value is
 * *outside* it: a minimum `2` is `2:` (alert below 2); a maximum `150` is
 * `150` (alert outside 0..150) for a figure that cannot be negative, else
 * `~:150` (no lower end).
 */
export function nagiosRange(limit: number, direction: Direction, nonNegative: boolean): string {
  const n = perfNumber(limit);
  if (direction === 'min') return `${n}:`;
  return nonNegative && limit >= 0 ? n : `~:${n}`;
}

function label(text: string): string {
  return `'${text.replace(/'/g, "''").replace(/[=\s]/g, '_')}'`;
}

function checkPerfdata(r: CheckResult, prefix: string): string[] {
  const out: string[] = [];
  for (const [metric, value] of Object.entries(r.metrics)) {
    if (!Number.isFinite(value)) continue;
    const uom = nagiosUom(metric);
    const nonNegative = uom !== '' || /_(mbps|kbps)$/.test(metric);
    const limits = metricLimits(r, metric);
    const range = (limit: number | undefined) =>
      limit === undefined || !limits ? '' : nagiosRange(limit, limits.direction, nonNegative);
    const shown = uom === '%' && value > 100 ? 100 : value;
    const fields = [
      `${label(`${prefix}${r.id}.${metric.replace(/_(ms|pct|s|bytes)$/, '')}`)}=${perfNumber(shown)}${uom}`,
      range(limits?.warn),
      range(limits?.fail),
      nonNegative && uom !== '' ? '0' : '',
      uom === '%' ? '100' : '',
    ];
    out.push(fields.join(';').replace(/;+$/, ''));
  }
  return out;
}

const notOk = (r: CheckResult) => r.status !== 'pass';

function failing(site: SiteRun): string[] {
  return site.checks
    .filter((r) => r.status === 'fail' || r.status === 'error' || r.status === 'warn')
    .map((r) => r.id);
}

function siteText(site: SiteRun, opts: RenderOptions): string {
  const bad = failing(site);
  return `${site.site.id}: ${opts.t(`verdict.${site.verdict}`)}${bad.length ? ` (${bad.join(', ')})` : ''}`;
}

/** Status line, long text and perfdata, fitted into the byte limits. */
function assemble(head: string, perf: string[], long: string[], opts: RenderOptions): string {
  const max = Math.max(STATUS_LINE_BYTES, opts.nagiosMaxBytes ?? NAGIOS_MAX_BYTES);
  // The status text keeps at most half the status line, so some perfdata always fits.
  let first = nagiosText(cutBytes(head, STATUS_LINE_BYTES / 2));
  let i = 0;
  for (; i < perf.length; i++) {
    const next = `${first}${i === 0 ? ' | ' : ' '}${perf[i]}`;
    if (bytes(next) + 1 > STATUS_LINE_BYTES) break;
    first = next;
  }
  const rest = perf.slice(i);
  const out = [first];
  let used = bytes(first) + 1;
  // Room kept for the "left out" line.
  const reserve = 160;
  const lines = long.map(nagiosText);
  let shown = 0;
  for (const line of lines) {
    const cost = bytes(line) + 1;
    const last = shown === lines.length - 1;
    if (used + cost > max - (last ? 0 : reserve)) break;
    out.push(line);
    used += cost;
    shown += 1;
  }
  if (shown < lines.length) {
    const note = opts.t('nagios.omitted', { n: lines.length - shown, bytes: max });
    out.push(note);
    used += bytes(note) + 1;
  }
  // Perfdata that did not fit the status line goes after a `|` in the long text (the plugin API allows it).
  let tail = '';
  for (const p of rest) {
    const next = `${tail ? `${tail} ` : '| '}${p}`;
    if (used + bytes(next) + 1 > max) break;
    tail = next;
  }
  if (tail) out.push(tail);
  return `${out.join('\n')}\n`;
}

function queuedNote(opts: RenderOptions): string {
  const queued = opts.upload?.queued ?? 0;
  return queued > 0 ? `; ${opts.t('nagios.queued', { n: queued })}` : '';
}

/** The Nagios state of the run: the verdict's, and at least WARNING when results could not be delivered. */
export function nagiosState(report: RunReport, opts: Pick<RenderOptions, 'upload'>): State {
  const state: State = STATE[report.verdict];
  return (opts.upload?.queued ?? 0) > 0 && RANK[state] < RANK.WARNING ? 'WARNING' : state;
}

export function renderNagios(report: RunReport, opts: RenderOptions): string {
  const { t } = opts;
  const state = nagiosState(report, opts);
  const queuedPerf = opts.upload ? [`queued=${opts.upload.queued};0`] : [];
  if (report.sites.length === 1) {
    const site = report.sites[0] as SiteRun;
    const perf = site.checks.flatMap((r) => checkPerfdata(r, ''));
    const long: string[] = [];
    if (site.error) long.push(`[UNKNOWN] ${nagiosText(site.error.message)}`);
    for (const r of site.checks.filter(notOk))
      long.push(`[${r.status.toUpperCase()}] ${r.id}: ${nagiosText(r.summary)}`);
    const ok = site.checks.length - site.checks.filter(notOk).length;
    if (ok > 0) long.push(t('nagios.ok_checks', { n: ok }));
    return assemble(
      `DIEMCAU ${state} - ${siteText(site, opts)}${queuedNote(opts)}`,
      [...perf, ...queuedPerf],
      long,
      opts,
    );
  }
  const v = countVerdicts(report);
  const rank = { 'not-ready': 0, unknown: 1, degraded: 2, ready: 3 } as const;
  const sorted = [...report.sites].sort((a, b) => rank[a.verdict] - rank[b.verdict]);
  const worst = sorted[0];
  const perf = [
    `sites=${report.sites.length}`,
    `ready=${v.ready}`,
    `degraded=${v.degraded}`,
    `not_ready=${v['not-ready']}`,
    `unknown=${v.unknown}`,
    `duration=${(report.durationMs / 1000).toFixed(3)}s`,
    ...queuedPerf,
  ];
  const sweepLine = t('check.sweep_line', {
    sites: report.sites.length,
    ready: v.ready,
    degraded: v.degraded,
    notReady: v['not-ready'],
    unknown: v.unknown,
  });
  const long = sorted
    .filter((s) => s.verdict !== 'ready')
    .map((s) => `[${STATE[s.verdict]}] ${siteText(s, opts)}${s.error ? ` - ${s.error.message}` : ''}`);
  if (v.ready > 0) long.push(t('nagios.ok_sites', { n: v.ready }));
  return assemble(
    `DIEMCAU ${state} - ${worst ? `${siteText(worst, opts)}; ` : ''}${sweepLine}${queuedNote(opts)}`,
    perf,
    long,
    opts,
  );
}

/** What stdout says when `--format nagios` could not run at all (exit 3). */
export function nagiosUnknown(reason: string): string {
  return `DIEMCAU UNKNOWN - ${cutBytes(nagiosText(reason), STATUS_LINE_BYTES - 20)}\n`;
}

export const format: RunFormat<'nagios'> = { name: 'nagios', render: renderNagios };
