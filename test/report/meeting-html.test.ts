/** `report meeting --format html` in a real browser: Debian's chromium, headless, loads the file (no network). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import type { MeetingReadiness } from '../../src/model/meeting.js';
import { renderMeeting } from '../../src/report/fleet/meeting.js';
import { dumpDom, haveChromium, killChromiums } from '../helpers/chromium.js';

const site = (id: string, state: MeetingReadiness['sites'][number]['state'], name = `Điểm cầu ${id}`) => ({
  id,
  name,
  unit: 'thanh-hoa/bim-son',
  state,
  lastRun:
    state === 'not-checked'
      ? null
      : {
          id: 1,
          verdict: state,
          startedAt: '2026-12-03T00:00:00.000Z',
          finishedAt: '2026-12-03T00:01:00.000Z',
          inWindow: true,
          failing: state === 'not-ready' ? ['sip-port'] : [],
        },
  openIncidents: [],
  technician: { name: 'Lại Văn An', phone: '0912 345 678' },
  overlaps: [],
  connected: null,
  confirmations: [],
});

const sample: MeetingReadiness = {
  generatedAt: '2026-12-03T00:15:00.000Z',
  meeting: {
    id: 7,
    title: 'Kỳ họp thứ 13 (bất thường) HĐND tỉnh',
    hostUnit: 'dien-bien/hdnd',
    start: '2026-12-03T00:30:00.000Z',
    end: '2026-12-03T04:30:00.000Z',
    kind: 'regular',
    bridge: 'tinh',
    participants: { units: ['dien-bien'] },
    status: 'scheduled',
    flags: [],
    createdAt: '2026-11-25T00:00:00.000Z',
    updatedAt: '2026-11-25T00:00:00.000Z',
    history: [],
  },
  windowStart: '2026-12-02T23:30:00.000Z',
  windowOpen: true,
  counts: {
    sites: 3,
    ready: 1,
    degraded: 0,
    notReady: 1,
    unknown: 0,
    notChecked: 1,
    withIncidents: 0,
    overlapping: 0,
  },
  sites: [
    site('a-ready', 'ready'),
    site('b-fail', 'not-ready', '<script>alert(1)</script>'),
    site('c-none', 'not-checked'),
  ],
  snapshot: true,
};

describe.skipIf(!haveChromium())('report meeting as HTML in headless chromium', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'diemcau-meeting-html-'));
  });
  afterAll(async () => {
    killChromiums();
    await rm(dir, { recursive: true, force: true });
  });

  it('one row per site, worst first, names escaped, the counts and the snapshot note, in Vietnamese', async () => {
    const html = renderMeeting(sample, 'html', {
      t: translator('vi'),
      locale: 'vi',
      color: false,
      tty: false,
      columns: 80,
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    const file = path.join(dir, 'm.html');
    await writeFile(file, html);
    const dom = await dumpDom(file);
    expect(/<title>([^<]*)<\/title>/.exec(dom)?.[1]).toBe(
      'Tình trạng sẵn sàng cuộc họp số 7: Kỳ họp thứ 13 (bất thường) HĐND tỉnh',
    );
    const body = dom.slice(dom.indexOf('<tbody>'), dom.indexOf('</tbody>'));
    expect(body.split('<tr').length - 1).toBe(3);
    expect(body.indexOf('b-fail')).toBeLessThan(body.indexOf('c-none'));
    expect(body.indexOf('c-none')).toBeLessThan(body.indexOf('a-ready'));
    expect(dom).not.toContain('<script>alert(1)</script>');
    expect(dom).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(dom).toContain('chưa kiểm tra từ T−60');
    expect(dom).toContain('Hệ thống chốt tình trạng lúc T−15 (07:15 03/12/2026)');
    expect(dom).toContain('Lại Văn An 0912 345 678');
  });

  it('after the meeting: the incidents during it and the summaries render, names escaped (docs/meetings.md)', async () => {
    const during: MeetingReadiness = {
      ...sample,
      generatedAt: '2026-12-03T05:00:00.000Z',
      meeting: { ...sample.meeting, status: 'done' },
      during: {
        minutes: 240,
        readyAtT15: 1,
        connected: 2,
        incidents: 1,
        postponed: 1,
        cancelled: 0,
        rescheduled: 0,
      },
      sites: sample.sites.map((x) => ({
        ...x,
        atT15: x.state,
        connected: { since: null, state: 'not-connected' as const, minutes: x.id === 'c-none' ? 0 : 230 },
        incidentsDuring:
          x.id === 'b-fail'
            ? [
                {
                  id: 9,
                  category: 'mat_dien',
                  severity: 'critical',
                  status: 'resolved',
                  summary: 'Mất điện',
                  effect: 'postponed' as const,
                  occurredAt: '2026-12-03T01:10:00.000Z',
                  resolvedAt: '2026-12-03T01:40:00.000Z',
                },
              ]
            : [],
      })),
    };
    const html = renderMeeting(during, 'html', {
      t: translator('vi'),
      locale: 'vi',
      color: false,
      tty: false,
      columns: 80,
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    const file = path.join(dir, 'after.html');
    await writeFile(file, html);
    const dom = await dumpDom(file);
    expect(dom).toContain('<th>Sự cố trong cuộc họp</th>');
    expect(dom).toContain('#9 mất điện (nghiêm trọng) lúc 08:10, phải hoãn họp');
    const summary = dom.slice(dom.indexOf('<section id="summary">'));
    expect(summary).toContain(
      'Kỳ họp thứ 13 (bất thường) HĐND tỉnh (07:30 03/12/2026): 1/3 điểm cầu sẵn sàng lúc T−15, 2 kết nối, 1 sự cố (1 phải hoãn họp)',
    );
    expect(summary.split('<li>').length - 1).toBe(3);
    expect(summary).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;: chưa sẵn sàng lúc T−15, kết nối 230/240 phút, 1 sự cố (mất điện lúc 08:10, phải hoãn họp)',
    );
    expect(summary).toContain('Điểm cầu c-none: đến T−15 chưa kiểm tra, không vào cầu, không có sự cố');
    expect(dom).not.toContain('<script>alert(1)</script>');
  });
});
