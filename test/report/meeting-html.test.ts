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
});
