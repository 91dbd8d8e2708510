/**
 * TAP version 14: a subtest per site, a test point per check, YAML
 * diagnostics. Warnings pass; an advisory failure is `not ok # TODO`
 * (reported, not counted), a skip is `# SKIP`. The plan (`1..N`) is the
 * number of sites, known before the first one, so a sweep is written as
 * its sites finish.
 */
import { stringify } from 'yaml';
import type { SiteRun } from '../engine/run.js';
import type { CheckResult } from '../model/check.js';
import type { RenderOptions, RunFormat, RunReport, RunStart, SiteStream } from './types.js';

const desc = (s: string) => s.replace(/\\/g, '\\\\').replace(/#/g, '\\#').replace(/\n/g, ' ');

function diagnostics(r: CheckResult, indent: string): string[] {
  const data: Record<string, unknown> = {
    kind: r.kind,
    status: r.status,
    required: r.required,
    duration_ms: r.durationMs,
    attempts: r.attempts,
  };
  if (Object.keys(r.metrics).length) data.metrics = r.metrics;
  if (r.error) data.error = r.error;
  if (r.hint && r.status !== 'pass') data.hint = r.hint;
  const yaml = stringify(data, { lineWidth: 0 }).trimEnd().split('\n');
  return [`${indent}  ---`, ...yaml.map((l) => `${indent}  ${l}`), `${indent}  ...`];
}

function point(r: CheckResult, n: number, indent: string): string[] {
  const text = `${desc(r.id)}: ${desc(r.summary)}`;
  let line: string;
  if (r.status === 'skip') line = `ok ${n} - ${text} # SKIP ${desc(r.error?.message ?? r.summary)}`;
  else if (r.status === 'pass' || r.status === 'warn') line = `ok ${n} - ${text}`;
  else line = `not ok ${n} - ${text}${r.required ? '' : ' # TODO advisory'}`;
  return [`${indent}${line}`, ...diagnostics(r, indent)];
}

export function streamTap(start: Pick<RunStart, 'sites'>, opts: RenderOptions): SiteStream {
  let i = 0;
  return {
    head: () => `TAP version 14\n1..${start.sites}\n`,
    site(site: SiteRun) {
      i += 1;
      const out = [`# Subtest: ${desc(site.site.id)}`];
      const inner = '    ';
      if (site.error) {
        out.push(`${inner}1..0 # SKIP ${desc(site.error.message)}`);
      } else {
        out.push(`${inner}1..${site.checks.length}`);
        site.checks.forEach((r, j) => {
          out.push(...point(r, j + 1, inner));
        });
      }
      const ok = site.verdict === 'ready' || site.verdict === 'degraded';
      out.push(
        `${ok ? 'ok' : 'not ok'} ${i} - ${desc(site.site.id)}: ${desc(opts.t(`verdict.${site.verdict}`))}`,
      );
      return `${out.join('\n')}\n`;
    },
    tail: () => '',
  };
}

export function renderTap(report: RunReport, opts: RenderOptions): string {
  const s = streamTap({ sites: report.sites.length }, opts);
  return s.head() + report.sites.map((site) => s.site(site)).join('') + s.tail(report);
}

export const format: RunFormat<'tap'> = { name: 'tap', render: renderTap, stream: streamTap };
