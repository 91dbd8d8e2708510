/**
 * node_exporter textfile format: gauges per run in base units, a site label
 * on everything, and a last-run timestamp (textfile timestamps are ignored by
 * node_exporter, so the time is a metric of its own).
 */
import type { Status } from '../model/check.js';
import type { Verdict } from '../model/verdict.js';
import { prometheusMetric } from './metrics.js';
import type { RenderOptions, RunFormat, RunReport } from './types.js';

const VERDICT_VALUE: Record<Verdict, number> = { ready: 0, degraded: 1, 'not-ready': 2, unknown: 3 };
const STATUS_VALUE: Record<Status, number> = { pass: 0, warn: 1, fail: 2, error: 3, skip: -1 };

export function labelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(l: Record<string, string>): string {
  if (Object.keys(l).length === 0) return '';
  return `{${Object.entries(l)
    .map(([k, v]) => `${k}="${labelValue(v)}"`)
    .join(',')}}`;
}

function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(12))) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
}

export function renderPrometheus(report: RunReport, _opts?: RenderOptions): string {
  const families = new Map<string, { help: string; samples: string[] }>();
  const add = (name: string, help: string, l: Record<string, string>, value: number) => {
    const fam = families.get(name) ?? { help, samples: [] };
    fam.samples.push(`${name}${labels(l)} ${num(value)}`);
    families.set(name, fam);
  };
  const finished = Date.parse(report.startedAt) / 1000 + report.durationMs / 1000;
  for (const site of report.sites) {
    const s = { site: site.site.id, unit: site.site.unit };
    add(
      'diemcau_site_verdict',
      'Site verdict: 0 ready, 1 degraded, 2 not ready, 3 could not check.',
      s,
      VERDICT_VALUE[site.verdict],
    );
    add('diemcau_site_checks', 'Checks run for the site in the last run.', s, site.checks.length);
    add('diemcau_site_duration_seconds', 'Wall time of the site checklist.', s, site.durationMs / 1000);
    add(
      'diemcau_last_run_timestamp_seconds',
      'When the last run of this site finished (Unix time).',
      s,
      Date.parse(site.startedAt) / 1000 + site.durationMs / 1000,
    );
    for (const r of site.checks) {
      const c = { site: site.site.id, check: r.id, kind: r.kind };
      add(
        'diemcau_check_status',
        'Check status: 0 pass, 1 warn, 2 fail, 3 error, -1 skipped.',
        { ...c, required: String(r.required) },
        STATUS_VALUE[r.status],
      );
      add(
        'diemcau_check_duration_seconds',
        'Wall time of the check, retries included.',
        c,
        r.durationMs / 1000,
      );
      add('diemcau_check_attempts', 'Attempts made (1 + retries used).', c, r.attempts);
      for (const [metric, value] of Object.entries(r.metrics)) {
        const m = prometheusMetric(metric, value);
        // Per kind, so a metric can never collide with the check_* families (http's `status`).
        const family = `diemcau_${r.kind.replace(/[^a-zA-Z0-9]/g, '_')}_${m.name.replace(/[^a-zA-Z0-9_]/g, '_')}`;
        add(family, `${r.kind} check metric ${metric}, in base units.`, c, m.value);
      }
    }
  }
  add('diemcau_run_duration_seconds', 'Wall time of the whole run.', {}, report.durationMs / 1000);
  add('diemcau_run_timestamp_seconds', 'When the run finished (Unix time).', {}, finished);
  const out: string[] = [];
  for (const [name, fam] of families) {
    out.push(`# HELP ${name} ${fam.help}`, `# TYPE ${name} gauge`, ...fam.samples);
  }
  return `${out.join('\n')}\n`;
}

export const format: RunFormat<'prometheus'> = { name: 'prometheus', render: renderPrometheus };
