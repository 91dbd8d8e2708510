/**
 * The site-by-site writers of json, junit and tap (docs/run-format.md,
 * "Sweeps") say what the whole-run renderers say: json the same document
 * (durationMs and verdict after the sites), junit and tap the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import { renderJson, streamJson } from '../../src/report/json.js';
import { renderJunit, streamJunit } from '../../src/report/junit.js';
import { renderTap, streamTap } from '../../src/report/tap.js';
import type { RenderOptions, RunReport, SiteStream } from '../../src/report/types.js';
import { sampleReport, sweepReport } from './sample.js';

const en: RenderOptions = { t: translator('en'), locale: 'en', color: false, tty: true, columns: 100 };

function streamed(s: SiteStream, report: RunReport): string {
  const sites = report.sites.map((site) => s.site(site)).join('');
  return s.headLast ? s.head(report) + sites + s.tail(report) : s.head() + sites + s.tail(report);
}
const start = (r: RunReport) => ({
  schema: r.schema,
  tool: r.tool,
  startedAt: r.startedAt,
  sites: r.sites.length,
});
const empty: RunReport = { ...sweepReport, sites: [] };

describe('site-by-site writers', () => {
  it('json: the same document as renderJson, in the documented key order', () => {
    for (const report of [sampleReport, sweepReport, empty]) {
      const text = streamed(streamJson(start(report)), report);
      const doc = JSON.parse(text);
      expect(doc).toEqual(JSON.parse(renderJson(report)));
      expect(Object.keys(doc)).toEqual(['schema', 'tool', 'startedAt', 'sites', 'durationMs', 'verdict']);
      expect(text.endsWith('}\n')).toBe(true);
    }
  });

  it('json: indented like renderJson, so a site reads the same in both', () => {
    const text = streamed(streamJson(start(sweepReport)), sweepReport);
    const whole = renderJson(sweepReport);
    const sites = whole.slice(whole.indexOf('  "sites": ['), whole.lastIndexOf(']') + 1);
    expect(text).toContain(sites);
  });

  it('junit and tap: byte for byte the whole-run output', () => {
    for (const report of [sampleReport, sweepReport, empty]) {
      expect(streamed(streamJunit(start(report), en), report)).toBe(renderJunit(report, en));
      expect(streamed(streamTap(start(report), en), report)).toBe(renderTap(report, en));
    }
  });
});
