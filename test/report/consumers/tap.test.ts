/**
 * `--format tap` read by tap-parser (the parser node-tap and most TAP
 * consumers use): the output is TAP 14 a harness accepts, with a subtest per
 * site, the counts the checks say, and no parse failures.
 */
import { Parser } from 'tap-parser';
import { describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/index.js';
import { renderTap } from '../../../src/report/tap.js';
import type { RenderOptions, RunReport } from '../../../src/report/types.js';
import { sampleReport, sweepReport } from '../sample.js';

const en: RenderOptions = { t: translator('en'), locale: 'en', color: false, tty: true, columns: 100 };

interface Final {
  ok: boolean;
  count: number;
  pass: number;
  fail: number;
  skip: number;
  todo: number;
  failures: Array<{ tapError?: string }>;
}

function parse(text: string): Promise<{ final: Final; children: Final[] }> {
  return new Promise((resolve) => {
    const children: Final[] = [];
    const p = new Parser((final) => resolve({ final: final as unknown as Final, children }));
    p.on('child', (child: Parser) => child.on('complete', (f) => children.push(f as unknown as Final)));
    p.end(text);
  });
}

const count = (site: RunReport['sites'][number], pred: (s: string, required: boolean) => boolean) =>
  site.checks.filter((c) => pred(c.status, c.required)).length;

describe('tap in tap-parser', () => {
  it('a single site: one subtest whose counts are the checks', async () => {
    const { final, children } = await parse(renderTap(sampleReport, en));
    expect(final.failures.filter((f) => f.tapError)).toEqual([]);
    expect(final.count).toBe(1);
    const site = sampleReport.sites[0] as RunReport['sites'][number];
    const inner = children[0] as Final;
    expect(inner.count).toBe(site.checks.length);
    expect(inner.skip).toBe(count(site, (s) => s === 'skip'));
    expect(inner.todo).toBe(count(site, (s, req) => (s === 'fail' || s === 'error') && !req));
    expect(inner.fail).toBe(count(site, (s, req) => (s === 'fail' || s === 'error') && req));
    expect(final.ok).toBe(site.verdict === 'ready' || site.verdict === 'degraded');
  });

  it('a sweep with a site that could not be checked parses whole, no TAP error', async () => {
    const { final, children } = await parse(renderTap(sweepReport, en));
    expect(final.failures.filter((f) => f.tapError)).toEqual([]);
    expect(final.count).toBe(sweepReport.sites.length);
    expect(children).toHaveLength(sweepReport.sites.length);
  });

  it('text with # and backslashes stays one test point each', async () => {
    const weird = structuredClone(sampleReport);
    for (const c of weird.sites[0]?.checks ?? []) c.summary = 'a # b \\ c\nd';
    const { final, children } = await parse(renderTap(weird, en));
    expect(final.failures.filter((f) => f.tapError)).toEqual([]);
    expect((children[0] as Final).count).toBe(weird.sites[0]?.checks.length);
  });
});
