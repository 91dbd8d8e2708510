/**
 * Monitoring Plugins output: one status line, perfdata after `|`
 * (`'label'=value[UOM];warn;crit;min;max`), then long text. The exit code is
 * the verdict's (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
 */
import type { SiteRun } from '../engine/run.js';
import { nagiosText } from '../util/sanitize.js';
import { countVerdicts } from './counts.js';
import { formatNumber, nagiosUom } from './metrics.js';
import type { RenderOptions, RunFormat, RunReport } from './types.js';

const STATE = { ready: 'OK', degraded: 'WARNING', 'not-ready': 'CRITICAL', unknown: 'UNKNOWN' } as const;

function label(text: string): string {
  return `'${text.replace(/'/g, "''").replace(/[=\s]/g, '_')}'`;
}

function perfValue(name: string, value: number): string {
  return formatNumber(name.endsWith('_pct') && value > 100 ? 100 : value);
}

function sitePerfdata(site: SiteRun, prefix: string): string[] {
  const out: string[] = [];
  for (const r of site.checks) {
    for (const [metric, value] of Object.entries(r.metrics)) {
      const uom = nagiosUom(metric);
      const warn = r.limits?.warn?.[metric];
      const crit = r.limits?.fail?.[metric];
      const min = uom === '%' || uom === 'ms' || uom === 's' || uom === 'B' ? '0' : '';
      const max = uom === '%' ? '100' : '';
      const fields = [
        `${label(`${prefix}${r.id}.${metric.replace(/_(ms|pct|s|bytes)$/, '')}`)}=${perfValue(metric, value)}${uom}`,
        warn === undefined ? '' : formatNumber(warn),
        crit === undefined ? '' : formatNumber(crit),
        min,
        max,
      ];
      out.push(fields.join(';').replace(/;+$/, ''));
    }
  }
  return out;
}

function failing(site: SiteRun): string[] {
  return site.checks
    .filter((r) => r.status === 'fail' || r.status === 'error' || r.status === 'warn')
    .map((r) => r.id);
}

export function renderNagios(report: RunReport, opts: RenderOptions): string {
  const { t } = opts;
  const state = STATE[report.verdict];
  const lines: string[] = [];
  if (report.sites.length === 1) {
    const site = report.sites[0] as SiteRun;
    const bad = failing(site);
    const text = `${site.site.id}: ${t(`verdict.${site.verdict}`)}${bad.length ? ` (${bad.join(', ')})` : ''}`;
    const perf = sitePerfdata(site, '');
    lines.push(`DIEMCAU ${state} - ${text}${perf.length ? ` | ${perf.join(' ')}` : ''}`);
    for (const r of site.checks) lines.push(`[${r.status.toUpperCase()}] ${r.id}: ${nagiosText(r.summary)}`);
  } else {
    const v = countVerdicts(report);
    const rank = { 'not-ready': 0, unknown: 1, degraded: 2, ready: 3 } as const;
    const sorted = [...report.sites].sort((a, b) => rank[a.verdict] - rank[b.verdict]);
    const worst = sorted[0];
    const worstText = worst
      ? `${worst.site.id}: ${t(`verdict.${worst.verdict}`)}${failing(worst).length ? ` (${failing(worst).join(', ')})` : ''}`
      : '';
    const perf = [
      `sites=${report.sites.length}`,
      `ready=${v.ready}`,
      `degraded=${v.degraded}`,
      `not_ready=${v['not-ready']}`,
      `unknown=${v.unknown}`,
      `duration=${(report.durationMs / 1000).toFixed(3)}s`,
    ];
    lines.push(
      `DIEMCAU ${state} - ${worstText}; ${t('check.sweep_line', { sites: report.sites.length, ready: v.ready, degraded: v.degraded, notReady: v['not-ready'], unknown: v.unknown })} | ${perf.join(' ')}`,
    );
    for (const site of sorted) {
      const bad = failing(site);
      lines.push(
        `[${STATE[site.verdict]}] ${site.site.id}: ${t(`verdict.${site.verdict}`)}${bad.length ? ` (${bad.join(', ')})` : ''}${site.error ? ` - ${nagiosText(site.error.message)}` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export const format: RunFormat<'nagios'> = { name: 'nagios', render: renderNagios };
