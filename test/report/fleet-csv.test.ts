import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import {
  INCIDENT_COLUMNS,
  READINESS_COLUMNS,
  renderIncidentsCsv,
  renderReadinessCsv,
  renderSiteCsv,
  SITE_COLUMNS,
} from '../../src/report/fleet/csv.js';
import { renderIncidentsJson, renderReadinessJson, renderSiteJson } from '../../src/report/fleet/json.js';
import type { FleetRenderOptions } from '../../src/report/fleet/types.js';
import { csvDocument, csvField } from '../../src/util/csv.js';
import { incidentData, incidents, readinessData, siteData, ZONE } from './fleet-sample.js';

const vi: FleetRenderOptions = {
  t: translator('vi'),
  locale: 'vi',
  color: true,
  tty: true,
  columns: 80,
  timeZone: ZONE,
};
const en: FleetRenderOptions = { ...vi, t: translator('en'), locale: 'en' };

/** An RFC 4180 reader written apart from the writer, strict about what it accepts. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i += 1;
        if (!/^(,|\r\n|$)/.test(text.slice(i, i + 2))) throw new Error(`junk after a closing quote at ${i}`);
      } else {
        field += ch;
        i += 1;
      }
    } else if (ch === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      i += 1;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i += 1;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else if (ch === '\r' || ch === '\n') {
      throw new Error(`bare ${ch === '\r' ? 'CR' : 'LF'} outside quotes at ${i}`);
    } else {
      field += ch;
      i += 1;
    }
  }
  if (quoted) throw new Error('unclosed quote');
  if (field !== '' || row.length > 0) throw new Error('last line does not end in CRLF');
  return rows;
}

describe('csv fields (RFC 4180)', () => {
  it('quotes commas, quotes, CR and LF, doubling the quotes, and leaves the rest alone', () => {
    expect(csvField('UBND xã Quảng Phú')).toBe('UBND xã Quảng Phú');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('Micro "chết"')).toBe('"Micro ""chết"""');
    expect(csvField('dòng 1\ndòng 2')).toBe('"dòng 1\ndòng 2"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(' spaces kept ')).toBe(' spaces kept ');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(0)).toBe('0');
    expect(csvField(false)).toBe('false');
  });
  it('ends every line, the last too, with CRLF; BOM only on request', () => {
    const doc = csvDocument(['a', 'b'], [['1', 'x\ny']]);
    expect(doc).toBe('a,b\r\n1,"x\ny"\r\n');
    expect(csvDocument(['a'], [], true)).toBe('\uFEFFa\r\n');
    expect(Buffer.from(csvDocument(['a'], [], true), 'utf8').subarray(0, 3)).toEqual(
      Buffer.from([0xef, 0xbb, 0xbf]),
    );
  });
});

describe('readiness csv', () => {
  it('has stable English keys, worst-first rows, codes plus a label column in the chosen language', () => {
    const text = renderReadinessCsv(readinessData, vi);
    expect(text.startsWith('\uFEFF')).toBe(false);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...READINESS_COLUMNS]);
    expect(rows.slice(1).map((r) => [r[0], r[3], r[4]])).toEqual([
      ['th-xa-quang-phu', 'not-ready', 'chưa sẵn sàng'],
      ['th-xa-nga-son', 'unknown', 'không kiểm tra được'],
      ['th-so-khcn', 'degraded', 'có cảnh báo'],
      ['th-xa-muong-lat', 'stale', 'không báo cáo'],
      ['th-xa-hoang-hoa', 'never', 'chưa từng báo cáo'],
      ['th-bimson-ubnd', 'ready', 'sẵn sàng'],
      ['th-phuong-hac-thanh', 'ready', 'sẵn sàng'],
    ]);
    expect(rows[1]).toEqual([
      'th-xa-quang-phu',
      'UBND xã Quảng Phú',
      'thanh-hoa/quang-phu',
      'not-ready',
      'chưa sẵn sàng',
      'not-ready',
      '2025-07-08T00:40:00.000Z',
      '102',
      'mcu-ping,codec-reg',
      'false',
      // technician, phone, open incidents, maintenance until and reason: this sample's registry sent none (an older one).
      '',
      '',
      '',
      '',
      '',
    ]);
    // Never reported (now after the stale one): empty verdict, time and run id.
    expect(rows[5]?.slice(5, 10)).toEqual(['', '', '', '', 'true']);
    expect(text).toContain('"mcu-ping,codec-reg"');
  });
  it('keeps the same header in English and only changes the labels', () => {
    const viRows = parseCsv(renderReadinessCsv(readinessData, vi));
    const enRows = parseCsv(renderReadinessCsv(readinessData, en));
    expect(enRows[0]).toEqual(viRows[0]);
    expect(enRows[1]?.[4]).toBe('not ready');
    expect(enRows.map((r) => r.filter((_, i) => i !== 4))).toEqual(
      viRows.map((r) => r.filter((_, i) => i !== 4)),
    );
  });
  it('starts with a UTF-8 BOM for Excel with --bom, and is otherwise identical', () => {
    const plain = renderReadinessCsv(readinessData, vi);
    const bom = renderReadinessCsv(readinessData, { ...vi, bom: true });
    expect(bom).toBe(`\uFEFF${plain}`);
    expect(Buffer.from(bom, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});

describe('incident csv', () => {
  it('round-trips commas, quotes, newlines and Vietnamese text exactly', () => {
    const rows = parseCsv(renderIncidentsCsv(incidentData, vi));
    expect(rows[0]).toEqual([...INCIDENT_COLUMNS]);
    expect(rows).toHaveLength(7);
    const byId = new Map(
      rows.slice(1).map((r) => [r[0], Object.fromEntries(INCIDENT_COLUMNS.map((k, i) => [k, r[i]]))]),
    );
    for (const i of incidents) expect(byId.get(String(i.id))?.summary).toBe(i.summary);
    expect(byId.get('6')).toMatchObject({
      summary: 'Micro bàn chủ toạ "chết", phải thay\nđã thay micro dự phòng',
      category: 'khong_tieng',
      category_label: 'Không có tiếng',
      severity_label: 'ảnh hưởng',
      status_label: 'đã khắc phục',
      resolved_at: '2025-07-06T00:50:00.000Z',
      time_to_resolve_s: '0',
    });
    expect(byId.get('3')).toMatchObject({
      time_to_resolve_s: '93600',
      site_name: 'Sở Khoa học và Công nghệ',
    });
    expect(byId.get('5')).toMatchObject({
      time_to_resolve_s: '',
      resolved_at: '',
      status: 'open',
      status_label: 'mới báo',
    });
  });
  it('writes the quoted multi-line field as RFC 4180 says', () => {
    expect(renderIncidentsCsv(incidentData, en)).toContain(
      ',"Micro bàn chủ toạ ""chết"", phải thay\nđã thay micro dự phòng"\r\n',
    );
  });
});

describe('site csv', () => {
  it('is one timeline of runs and incidents, newest first, with the same columns on every row', () => {
    const rows = parseCsv(renderSiteCsv(siteData, { ...vi, bom: true }).slice(1));
    expect(rows[0]).toEqual([...SITE_COLUMNS]);
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ['run', '2025-07-08T00:40:00.000Z'],
      ['incident', '2025-07-07T23:00:00.000Z'],
      ['run', '2025-07-07T09:00:00.000Z'],
      ['run', '2025-07-06T00:30:00.000Z'],
      ['run', '2025-07-05T00:30:00.000Z'],
      ['incident', '2025-07-01T01:00:00.000Z'],
    ]);
    for (const r of rows) expect(r).toHaveLength(SITE_COLUMNS.length);
  });
});

describe('json', () => {
  it('tags each report with its schema and keeps the data as is (readiness sites worst first)', () => {
    const r = JSON.parse(renderReadinessJson(readinessData));
    expect(r.schema).toBe('diemcau/report-readiness@1');
    expect(r.readiness.counts).toEqual(readinessData.readiness.counts);
    expect(r.readiness.sites[0].id).toBe('th-xa-quang-phu');
    expect(r.daily).toEqual(readinessData.daily);
    expect(r.incidents).toHaveLength(6);
    const i = JSON.parse(renderIncidentsJson(incidentData));
    expect(i.schema).toBe('diemcau/report-incidents@1');
    expect(i.summary.resolve).toEqual({
      count: 4,
      meanMs: 420 * 60_000,
      medianMs: 60 * 60_000,
      maxMs: 1560 * 60_000,
    });
    expect(i.incidents.map((x: { id: number }) => x.id)).toEqual([5, 6, 4, 3, 2, 1]);
    const s = JSON.parse(renderSiteJson(siteData));
    expect(s.schema).toBe('diemcau/report-site@1');
    expect(s.runs).toEqual(siteData.runs);
  });
  it('is the same in both languages', () => {
    expect(renderIncidentsJson(incidentData, vi)).toBe(renderIncidentsJson(incidentData, en));
  });
});
