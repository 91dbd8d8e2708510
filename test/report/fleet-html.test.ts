/**
 * The HTML reports in a real browser: Debian's chromium, headless, loads the
 * file (file://, no network) and we check the DOM it built and a screenshot.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import { renderIncidentsHtml, renderReadinessHtml, renderSiteHtml } from '../../src/report/fleet/html.js';
import type { FleetRenderOptions, ReadinessReportData } from '../../src/report/fleet/types.js';
import {
  countColour,
  dumpDom,
  haveChromium,
  killChromiums,
  PNG_SIGNATURE,
  readPng,
  screenshot,
} from '../helpers/chromium.js';
import { DAYS, daily, incidentData, readiness, readinessData, siteData, ZONE } from './fleet-sample.js';

const vi: FleetRenderOptions = {
  t: translator('vi'),
  locale: 'vi',
  color: false,
  tty: false,
  columns: 80,
  timeZone: ZONE,
};
const en: FleetRenderOptions = { ...vi, t: translator('en'), locale: 'en' };

/** The part of `html` from the first `start` to the next `end` after it. */
function section(html: string, start: string, end: string): string {
  const a = html.indexOf(start);
  if (a < 0) throw new Error(`${start} not found`);
  const b = html.indexOf(end, a);
  if (b < 0) throw new Error(`${end} not found after ${start}`);
  return html.slice(a, b + end.length);
}
const count = (text: string, needle: string) => text.split(needle).length - 1;
const bodyRows = (table: string) => count(table.slice(table.indexOf('<tbody>')), '<tr');
const titleOf = (dom: string) => /<title>([^<]*)<\/title>/.exec(dom)?.[1];
const cardCount = (dom: string, state: string) =>
  Number(new RegExp(`data-state="${state}"><span class="n">(\\d+)</span>`).exec(dom)?.[1]);

/** Anything that could make the browser reach outside the file. */
function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const re of [
    /https?:/gi,
    /\/\/[a-z0-9]/gi,
    /\b(?:src|href|action|srcset|xlink:href)\s*=/gi,
    /url\((?!#)/gi,
    /@import/gi,
    /<(?:script|link|img|iframe|object|embed)\b/gi,
  ]) {
    for (const m of html.matchAll(re)) found.push(m[0]);
  }
  return found;
}

describe('html sources (no browser needed)', () => {
  it('reference nothing outside the file and forbid loading anything', () => {
    for (const html of [
      renderReadinessHtml(readinessData, vi),
      renderIncidentsHtml(incidentData, en),
      renderSiteHtml(siteData, vi),
    ]) {
      expect(externalReferences(html)).toEqual([]);
      expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    }
  });
  it('keep the heatmap lean: one rect per cell, no group per cell, 250 rows per SVG', () => {
    const svg = section(renderReadinessHtml(readinessData, vi), '<figure class="hm"', '</figure>');
    expect(count(svg, '<rect')).toBe(readiness.sites.length * DAYS.length);
    expect(count(svg, '<g')).toBe(1 + readiness.sites.length); // the day labels + one per row
    expect(count(svg, '<svg')).toBe(2); // the day labels + one chunk
    const sites = Array.from({ length: 501 }, (_, i) => ({ id: `s${i}`, verdicts: ['ready' as const] }));
    const big = section(
      renderReadinessHtml({ readiness, daily: { days: ['2025-07-08'], sites } }, vi),
      '<figure class="hm"',
      '</figure>',
    );
    expect(count(big, '<svg')).toBe(1 + 3);
    expect(count(big, '<rect')).toBe(501);
    expect(big).toContain(
      '<div class="hm-chunk" style="contain-intrinsic-size:auto 14px"><svg width="72" height="14" viewBox="0 0 72 14">',
    );
  });
});

describe.skipIf(!haveChromium())('html reports in headless chromium', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'diemcau-html-'));
  });
  afterAll(async () => {
    killChromiums();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const write = async (name: string, html: string) => {
    const file = path.join(dir, name);
    await writeFile(file, html);
    return file;
  };

  it('readiness (vi): title, language, summary counts, sites × days cells, tables, legend', async () => {
    const dom = await dumpDom(await write('readiness-vi.html', renderReadinessHtml(readinessData, vi)));
    expect(dom).toMatch(/^<!DOCTYPE html>\s*<html lang="vi">/);
    expect(titleOf(dom)).toBe('Báo cáo tình trạng sẵn sàng của các điểm cầu · thanh-hoa · 08/07/2025');
    expect(dom).toContain('<h1>Báo cáo tình trạng sẵn sàng của các điểm cầu</h1>');
    expect(dom).toContain(
      'lập lúc <time datetime="2025-07-08T01:30:00.000Z">08:30 08/07/2025</time> (UTC+07:00)',
    );
    expect({
      all: cardCount(dom, 'all'),
      ready: cardCount(dom, 'ready'),
      degraded: cardCount(dom, 'degraded'),
      notReady: cardCount(dom, 'not-ready'),
      unknown: cardCount(dom, 'unknown'),
      stale: cardCount(dom, 'stale'),
      never: cardCount(dom, 'never'),
    }).toEqual({ all: 7, ready: 2, degraded: 1, notReady: 1, unknown: 1, stale: 1, never: 1 });
    // Never reported is its own state since issue 15.
    expect(dom).toContain(
      '7 điểm cầu: 2 sẵn sàng, 1 có cảnh báo, 1 chưa sẵn sàng, 1 không kiểm tra được, 1 không báo cáo, 1 chưa từng báo cáo',
    );

    const svg = section(dom, '<figure class="hm"', '</figure>');
    expect(count(svg, '<rect')).toBe(7 * 7);
    expect(count(svg, '<title>')).toBe(7 * 7);
    expect(svg).toContain('<figcaption id="hm-title">Kết quả theo ngày: 7 điểm cầu × 7 ngày</figcaption>');
    const notReadyCells = daily.sites.flatMap((s) => s.verdicts).filter((v) => v === 'not-ready').length;
    expect(count(svg, 'class="n"')).toBe(notReadyCells);
    expect(svg).toContain('<title>th-xa-quang-phu · 2025-07-08: chưa sẵn sàng</title>');
    expect(svg).toContain('<title>th-xa-hoang-hoa · 2025-07-02: không kiểm tra</title>');
    // Rows follow the table: worst first.
    expect(svg.indexOf('>th-xa-quang-phu<')).toBeLessThan(svg.indexOf('>th-bimson-ubnd<'));

    const sites = section(dom, '<table id="sites-table">', '</table>');
    expect(bodyRows(sites)).toBe(7);
    expect(sites.indexOf('th-xa-quang-phu')).toBeLessThan(sites.indexOf('th-xa-nga-son'));
    expect(sites).toContain('<td class="st st-stale">– không báo cáo</td>');
    const incidents = section(dom, '<table id="incidents-table">', '</table>');
    expect(bodyRows(incidents)).toBe(6);
    expect(incidents).toContain('Micro bàn chủ toạ "chết", phải thay\nđã thay micro dự phòng');
    expect(dom).toContain('Thời gian khắc phục trung bình: 7 giờ 0 phút');
    const legend = section(dom, '<section id="legend">', '</section>');
    expect(count(legend, '<li>')).toBe(7);
    expect(legend).toContain('đã đăng ký nhưng chưa lần nào gửi kết quả kiểm tra');
    expect(legend).toContain('không nhận được kết quả kiểm tra nào từ 06:30 07/07/2025');
  });

  it('readiness (en): the same page in English', async () => {
    const dom = await dumpDom(await write('readiness-en.html', renderReadinessHtml(readinessData, en)));
    expect(dom).toContain('<html lang="en">');
    expect(titleOf(dom)).toBe('Site readiness report · thanh-hoa · 08/07/2025');
    expect(dom).toContain(
      '7 sites: 2 ready, 1 with warnings, 1 not ready, 1 could not check, 1 no report, 1 never reported',
    );
    expect(section(dom, '<figure class="hm"', '</figure>')).toContain(
      '<title>th-xa-quang-phu · 2025-07-08: not ready</title>',
    );
  });

  it('readiness screenshot: a real PNG of the window size, with the heatmap cells drawn', async () => {
    const file = await write('readiness-shot.html', renderReadinessHtml(readinessData, vi));
    const png = path.join(dir, 'readiness.png');
    await screenshot(file, png, { width: 1280, height: 2000 });
    expect((await stat(png)).size).toBeGreaterThan(10_000);
    const image = await readPng(png, true);
    expect((await readFile(png)).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect({ width: image.width, height: image.height }).toEqual({ width: 1280, height: 2000 });
    // The solid "ready" fill: 19 ready cells of 28 × 12 px (a summary card border and a legend swatch add a little).
    // If the cells' CSS size did not apply, only those few hundred pixels would be there.
    const readyCells = daily.sites.flatMap((s) => s.verdicts).filter((v) => v === 'ready').length;
    expect(readyCells).toBe(19);
    expect(countColour(image, [0x2e, 0x7d, 0x32])).toBeGreaterThan(readyCells * 200);
  });

  it('escapes what people typed: a name with markup stays text', async () => {
    const evil: ReadinessReportData = {
      readiness: {
        ...readiness,
        sites: [
          {
            ...(readiness.sites[0] as (typeof readiness.sites)[number]),
            name: 'Phòng <b>họp</b> & "hội trường" <script>document.title="x"</script>',
          },
        ],
      },
    };
    const dom = await dumpDom(await write('evil.html', renderReadinessHtml(evil, vi)));
    expect(dom).not.toContain('<script');
    expect(dom).toContain('Phòng &lt;b&gt;họp&lt;/b&gt; &amp; "hội trường" &lt;script&gt;');
    expect(titleOf(dom)).toContain('Báo cáo tình trạng sẵn sàng');
    expect(dom).toContain(vi.t('report.html.no_daily'));
  });

  it('incidents (vi): counts by category and unit, time to resolve, the list', async () => {
    const dom = await dumpDom(await write('incidents-vi.html', renderIncidentsHtml(incidentData, vi)));
    expect(dom).toContain('<html lang="vi">');
    expect(titleOf(dom)).toBe('Báo cáo sự cố · thanh-hoa · 08/07/2025');
    expect(dom).toContain('6 sự cố: 1 mới báo, 1 đã tiếp nhận, 4 đã khắc phục');
    expect(dom).toContain(
      'Thời gian khắc phục trung bình: 7 giờ 0 phút (trung vị 1 giờ 0 phút, lâu nhất 1 ngày 2 giờ; 4 sự cố đã khắc phục)',
    );
    const byCategory = section(dom, '<table id="by-category-table">', '</table>');
    expect(bodyRows(byCategory)).toBe(5);
    expect(byCategory).toMatch(/<td>Mất kết nối<\/td><td class="num">2<\/td>/);
    expect(bodyRows(section(dom, '<table id="by-unit-table">', '</table>'))).toBe(5);
    expect(bodyRows(section(dom, '<table id="incidents-table">', '</table>'))).toBe(6);
  });

  it('one site (en): runs, a 30-day heatmap row built from the runs, incidents', async () => {
    const dom = await dumpDom(await write('site-en.html', renderSiteHtml(siteData, en)));
    expect(dom).toContain('<html lang="en">');
    expect(titleOf(dom)).toBe('Site history: th-xa-quang-phu · 08/07/2025');
    expect(bodyRows(section(dom, '<table id="runs-table">', '</table>'))).toBe(4);
    const svg = section(dom, '<figure class="hm"', '</figure>');
    expect(count(svg, '<rect')).toBe(30);
    expect(count(svg, 'class="o"')).toBe(26);
    expect(svg).toContain('<title>th-xa-quang-phu · 2025-07-07: not ready</title>');
    expect(bodyRows(section(dom, '<table id="incidents-table">', '</table>'))).toBe(2);
  });

  it('stays whole for 1,000 sites × 7 days', async () => {
    const sites = Array.from({ length: 1000 }, (_, i) => ({
      ...(readiness.sites[i % 7] as (typeof readiness.sites)[number]),
      id: `site-${String(i).padStart(4, '0')}`,
    }));
    const big: ReadinessReportData = {
      readiness: { ...readiness, sites },
      daily: {
        days: DAYS,
        sites: sites.map((s, i) => ({
          id: s.id,
          verdicts: (daily.sites[i % 7] as (typeof daily.sites)[number]).verdicts,
        })),
      },
    };
    const dom = await dumpDom(await write('big.html', renderReadinessHtml(big, vi)));
    expect(count(section(dom, '<figure class="hm"', '</figure>'), '<rect')).toBe(7000);
    expect(bodyRows(section(dom, '<table id="sites-table">', '</table>'))).toBe(1000);
  });
});
