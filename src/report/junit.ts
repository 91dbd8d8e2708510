/**
 * JUnit XML (the Jenkins / Ant shape): a testsuite per site, a testcase per
 * check. Valid against the Jenkins xUnit plugin's JUnit schema, which allows
 * `skipped` and `timestamp` on `<testsuite>` only (docs/run-format.md).
 * `<testsuites>` carries the totals before the suites, so a sweep spools
 * the suites and writes the head at the end (docs/run-format.md, "Sweeps").
 */
import type { SiteRun } from '../engine/run.js';
import type { CheckResult } from '../model/check.js';
import { formatMetric } from './metrics.js';
import type { RenderOptions, RunEnd, RunFormat, RunReport, SiteStream } from './types.js';

export function xmlEscape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const secs = (ms: number) => (ms / 1000).toFixed(3);

function testcase(siteId: string, r: CheckResult, opts: RenderOptions): string {
  const name = xmlEscape(r.id);
  const open = `    <testcase name="${name}" classname="${xmlEscape(`${siteId}.${r.kind}`)}" time="${secs(r.durationMs)}">`;
  const body: string[] = [];
  const msg = xmlEscape(r.summary);
  const hint = r.hint ?? r.error?.hint;
  const text = xmlEscape(
    [r.summary, hint ? `${opts.t('cli.hint')}: ${hint}` : ''].filter(Boolean).join('\n'),
  );
  if (r.status === 'fail')
    body.push(`      <failure message="${msg}" type="${r.required ? 'fail' : 'advisory'}">${text}</failure>`);
  else if (r.status === 'error')
    body.push(`      <error message="${msg}" type="${xmlEscape(r.error?.code ?? 'error')}">${text}</error>`);
  else if (r.status === 'skip') body.push(`      <skipped message="${msg}"/>`);
  const metrics = Object.entries(r.metrics).map(([k, v]) => formatMetric(k, v));
  const out = [`status: ${r.status}`, r.status === 'warn' ? `warning: ${r.summary}` : '', ...metrics].filter(
    Boolean,
  );
  body.push(`      <system-out>${xmlEscape(out.join('\n'))}</system-out>`);
  return [open, ...body, '    </testcase>'].join('\n');
}

/** One `<testsuite>` per site; the tallies go to `<testsuites>`, which needs them first (hence `headLast`). */
export function streamJunit(_start: unknown, opts: RenderOptions): SiteStream {
  let tests = 0;
  let failures = 0;
  let errors = 0;
  return {
    headLast: true,
    head: (end?: RunEnd) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="diemcau" tests="${tests}" failures="${failures}" errors="${errors}" time="${secs(end?.durationMs ?? 0)}">\n`,
    site(site: SiteRun) {
      const n = { tests: site.checks.length, failures: 0, errors: 0, skipped: 0 };
      for (const r of site.checks) {
        if (r.status === 'fail') n.failures += 1;
        else if (r.status === 'error') n.errors += 1;
        else if (r.status === 'skip') n.skipped += 1;
      }
      const lines: string[] = [];
      if (site.error) {
        n.tests += 1;
        n.errors += 1;
      }
      tests += n.tests;
      failures += n.failures;
      errors += n.errors;
      lines.push(
        `  <testsuite name="${xmlEscape(site.site.id)}" tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}" time="${secs(site.durationMs)}" timestamp="${site.startedAt}">`,
      );
      lines.push('    <properties>');
      lines.push(`      <property name="name" value="${xmlEscape(site.site.name)}"/>`);
      lines.push(`      <property name="unit" value="${xmlEscape(site.site.unit ?? '')}"/>`);
      lines.push(`      <property name="verdict" value="${site.verdict}"/>`);
      lines.push('    </properties>');
      if (site.error) {
        lines.push(
          `    <testcase name="profile" classname="${xmlEscape(site.site.id)}.profile" time="0.000">`,
        );
        lines.push(
          `      <error message="${xmlEscape(site.error.message)}" type="${xmlEscape(site.error.code)}"/>`,
        );
        lines.push('    </testcase>');
      }
      for (const r of site.checks) lines.push(testcase(site.site.id, r, opts));
      lines.push('  </testsuite>');
      return `${lines.join('\n')}\n`;
    },
    tail: () => '</testsuites>\n',
  };
}

export function renderJunit(report: RunReport, opts: RenderOptions): string {
  const s = streamJunit(undefined, opts);
  const body = report.sites.map((site) => s.site(site)).join('');
  return s.head(report) + body + s.tail(report);
}

export const format: RunFormat<'junit'> = { name: 'junit', render: renderJunit, stream: streamJunit };
