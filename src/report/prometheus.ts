/**
 * node_exporter textfile format (docs/run-format.md, "prometheus"): gauges in
 * base units; status and verdict as state-label series (one series per
 * state, 1 for the current one); a `site` label on everything per site and a
 * `sweep` label on every series, so the files of several sweeps coexist in
 * one textfile folder; a last-run timestamp per site (node_exporter ignores
 * textfile timestamps, so the time is a metric of its own).
 */
import { STATUSES, VERDICTS } from '../model/constants.js';
import { prometheusMetric } from './metrics.js';
import type { RenderOptions, RunFormat, RunReport } from './types.js';

/** The `sweep` label when the command gives none. */
export const DEFAULT_SWEEP = 'diemcau';

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

export function renderPrometheus(report: RunReport, opts?: Partial<RenderOptions>): string {
  const sweep = opts?.sweep ?? DEFAULT_SWEEP;
  const families = new Map<string, { help: string; samples: string[] }>();
  const add = (name: string, help: string, l: Record<string, string>, value: number) => {
    const fam = families.get(name) ?? { help, samples: [] };
    fam.samples.push(`${name}${labels({ ...l, sweep })} ${num(value)}`);
    families.set(name, fam);
  };
  const finished = Date.parse(report.startedAt) / 1000 + report.durationMs / 1000;
  for (const site of report.sites) {
    const s = { site: site.site.id, unit: site.site.unit ?? '' };
    for (const verdict of VERDICTS)
      add(
        'diemcau_site_verdict',
        'Site verdict: 1 for the current one (ready, degraded, not-ready, unknown = could not check).',
        { ...s, verdict },
        site.verdict === verdict ? 1 : 0,
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
      for (const status of STATUSES)
        add(
          'diemcau_check_status',
          'Check status: 1 for the current one (pass, warn, fail, skip, error).',
          { ...c, required: String(r.required), status },
          r.status === status ? 1 : 0,
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
  add('diemcau_run_sites', 'Sites in the run.', {}, report.sites.length);
  add('diemcau_run_duration_seconds', 'Wall time of the whole run.', {}, report.durationMs / 1000);
  add('diemcau_run_timestamp_seconds', 'When the run finished (Unix time).', {}, finished);
  if (opts?.upload)
    add(
      'diemcau_upload_queued',
      'Site results of the run not delivered to the registry (kept in the outbox).',
      {},
      opts.upload.queued,
    );
  const out: string[] = [];
  for (const [name, fam] of families) {
    out.push(`# HELP ${name} ${fam.help}`, `# TYPE ${name} gauge`, ...fam.samples);
  }
  return `${out.join('\n')}\n`;
}

export const format: RunFormat<'prometheus'> = { name: 'prometheus', render: renderPrometheus };
