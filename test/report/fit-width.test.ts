/** Every table a person reads fits the terminal it is drawn on (item 4 of issue 13), measured in display columns. */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { type Locale, translator } from '../../src/i18n/index.js';
import { renderIncidentsTable, renderReadinessTable, renderSiteTable } from '../../src/report/fleet/table.js';
import { renderHuman } from '../../src/report/human.js';
import type { RunReport } from '../../src/report/types.js';
import { simpleTable } from '../../src/util/table.js';
import { incidentData, readinessData, siteData, ZONE } from './fleet-sample.js';
import { sampleReport } from './sample.js';

const site = sampleReport.sites[0] as RunReport['sites'][number];
const first = site.checks[0] as (typeof site.checks)[number];

/** Like `diemcau demo`: a long result whose key words come last, and two figures. */
const demoLike: RunReport = {
  ...sampleReport,
  sites: [
    {
      ...site,
      checks: [
        ...site.checks,
        {
          ...first,
          id: 'bandwidth',
          kind: 'bandwidth',
          status: 'pass',
          summary: 'tải xuống 145.95 Mbit/s, tải lên 1221.40 Mbit/s tới máy chủ đo của tỉnh, đủ cho cuộc họp',
          metrics: { down_mbps: 145.95, up_mbps: 1221.4 },
          hint: undefined,
        },
        {
          ...first,
          id: 'codec-reg',
          kind: 'codec-registration',
          status: 'fail',
          summary: 'thiết bị codec tại hội trường chưa đăng ký với MCU của tỉnh: không có tín hiệu',
          metrics: {},
          hint: 'Kiểm tra cáp mạng của codec và tài khoản SIP, rồi chạy lại: https://vcs.thanhhoa.gov.vn/huong-dan/dang-ky-codec-sip',
        },
      ],
    },
  ],
};

const tooWide = (text: string, columns: number) =>
  text.split('\n').filter((line) => stringWidth(line) > columns);

describe.each([80, 120])('at %i columns', (columns) => {
  describe.each(['vi', 'en'] as Locale[])('%s', (locale) => {
    const t = translator(locale);
    it('the check table fits, and every word of a result is still there', () => {
      for (const report of [sampleReport, demoLike]) {
        const text = renderHuman(report, { t, locale, color: false, tty: true, columns });
        expect(tooWide(text, columns)).toEqual([]);
        const words = text.split(/\s+/);
        for (const r of report.sites.flatMap((s) => s.checks))
          for (const w of r.summary.split(' ')) expect(words).toContain(w);
      }
    });
    it('the fleet tables fit', () => {
      const opts = { t, locale, color: false, tty: true, columns, timeZone: ZONE };
      expect(tooWide(renderReadinessTable(readinessData, opts), columns)).toEqual([]);
      expect(tooWide(renderIncidentsTable(incidentData, opts), columns)).toEqual([]);
      expect(tooWide(renderSiteTable(siteData, opts), columns)).toEqual([]);
    });
  });
  it('plain tables (incident list, outbox, call) fit and keep every character', () => {
    const id = '0f8e4c1a-6b2d-4c8e-9a71-5d3f2e1b0c9a';
    const rows = [
      [
        id,
        'sự cố',
        '2026-12-01T21:12:28.634Z',
        'https://registry.thanhhoa.gov.vn/api',
        'th-xa-quang-phu: mất kết nối tới MCU tỉnh giữa phiên thử',
      ],
    ];
    const text = simpleTable(['MÃ', 'LOẠI', 'TẠO LÚC', 'MÁY CHỦ', 'NỘI DUNG'], rows, true, columns);
    expect(tooWide(text, columns)).toEqual([]);
    // The id wraps in its own column: the first column's pieces, line after line, make it whole.
    const firstColumn = text
      .split('\n')
      .slice(1)
      .map((l) => (l.startsWith(' ') ? '' : (l.split(/\s+/)[0] as string)))
      .join('');
    expect(firstColumn).toBe(id);
  });
});

it('the units are cut from the left', () => {
  const text = renderReadinessTable(readinessData, {
    t: translator('vi'),
    locale: 'vi',
    color: false,
    tty: true,
    columns: 80,
    timeZone: ZONE,
  });
  expect(text).toMatch(/…[a-z/-]*quang-phu/);
});
