/**
 * `report meeting` and `report meetings` after a meeting, through the CLI
 * against a registry on loopback (docs/meetings.md, after the meeting): the
 * incidents during it with their effect and the summaries to quote, in
 * Vietnamese and English, within 80 columns; the new CSV columns, JSON, HTML.
 */
import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentInput } from '../../src/model/incident.js';
import type { Meeting } from '../../src/model/meeting.js';
import { schedulerTick } from '../../src/registry/meeting-scheduler.js';
import { width } from '../../src/util/table.js';
import { run } from '../helpers/cli.js';
import { bearer, incidentBody, post, runBody } from './fixtures.js';
import { tempDir } from './live.js';
import { at, DAY, HOUR, type MeetingApp, meetingApp, meetingBody } from './meetings-fixtures.js';

const MIN = 60_000;

/** "08:10": an instant's wall clock in Vietnam, as the reports print it. */
const hhmm = (ms: number) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
let t: MeetingApp;
let url: string;
let dir: string;
let m: Meeting;
let T0: number;

beforeAll(async () => {
  t = await meetingApp();
  const real = Date.now();
  T0 = Math.floor((real - DAY) / MIN) * MIN;
  // Booked three days before (an emergency meeting, so the notice rule does not hold it back).
  t.now.ms = T0 - 2 * DAY;
  const inject = (method: 'GET' | 'POST', u: string, headers: object, payload?: object) =>
    t.app.inject({
      method,
      url: u,
      headers: headers as Record<string, string>,
      ...(payload ? { payload } : {}),
    });
  const made = await inject(
    'POST',
    '/v1/meetings',
    post(t.tokens.coord),
    meetingBody({
      title: 'Họp trực tuyến phòng chống bão',
      start: at(T0),
      end: at(T0 + 2 * HOUR),
      kind: 'emergency',
    }),
  );
  expect(made.statusCode, made.body).toBe(201);
  m = made.json() as Meeting;
  t.now.ms = T0 - 30 * MIN;
  await inject(
    'POST',
    '/v1/runs',
    post(t.tokens.admin),
    runBody({ verdict: 'ready', startedAt: at(T0 - 30 * MIN) }),
  );
  await schedulerTick(t.store, T0 - 15 * MIN);
  t.now.ms = T0 - 2 * MIN;
  await inject('POST', '/v1/sites/th-bimson-ubnd/call-states', post(t.tokens.admin), {
    at: at(T0 - 2 * MIN),
    state: 'connected',
    remote: 'sip:8001@mcu.thanhhoa.gov.vn',
  });
  await schedulerTick(t.store, T0 + 1);
  const file = async (atMs: number, body: Partial<IncidentInput>) => {
    t.now.ms = atMs;
    const r = await inject(
      'POST',
      '/v1/incidents',
      post(t.tokens.admin),
      incidentBody({ occurredAt: at(atMs), ...body }),
    );
    expect(r.statusCode, r.body).toBe(201);
  };
  await file(T0 + 20 * MIN, {
    category: 'khong_tieng',
    severity: 'minor',
    summary: 'Mất tiếng \u001b]0;x\u0007',
    effect: 'none',
  });
  await file(T0 + 40 * MIN, {
    site: { id: 'th-bimson-xa', unit: 'thanh-hoa/bim-son/xa' },
    category: 'mat_dien',
    severity: 'critical',
    summary: 'Mất điện toàn xã',
    effect: 'rescheduled',
  });
  await schedulerTick(t.store, T0 + 2 * HOUR + 1);
  t.now.ms = Date.now();
  expect((await inject('GET', `/v1/meetings/${m.id}`, bearer(t.tokens.admin))).json()).toMatchObject({
    status: 'done',
  });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}`;
  dir = tempDir('meeting-after-cli');
});
afterAll(() => t.app.close());

const cli = (args: string[], lang: 'vi' | 'en') =>
  run(['--lang', lang, ...args], {
    env: { DIEMCAU_TOKEN: t.tokens.viewer, DIEMCAU_REGISTRY: url, DIEMCAU_TZ: 'Asia/Ho_Chi_Minh' },
    cwd: dir,
    stateDir: path.join(dir, 'state'),
    columns: 80,
  });
const fits = (text: string) => text.split('\n').every((l) => width(l) <= 80);
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('report meeting after the meeting', () => {
  it('in Vietnamese: the summaries to quote, within 80 columns, no control character', async () => {
    const r = await cli(['report', 'meeting', String(m.id)], 'vi');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fits(r.stdout)).toBe(true);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    const text = flat(r.stdout);
    expect(text).toContain('Tóm tắt để đưa vào báo cáo:');
    expect(text).toContain('1/2 điểm cầu sẵn sàng lúc T−15, 1 kết nối, 2 sự cố (1 phải đổi thời gian họp)');
    expect(text).toContain(
      `- Site th-bimson-ubnd: sẵn sàng lúc T−15, kết nối 120/120 phút, 1 sự cố (không có tiếng lúc ${hhmm(T0 + 20 * MIN)}, không ảnh hưởng)`,
    );
    expect(text).toContain(
      `- Điểm cầu th-bimson-xa: đến T−15 chưa kiểm tra, không vào cầu, 1 sự cố (mất điện lúc ${hhmm(T0 + 40 * MIN)}, phải đổi thời gian họp)`,
    );
  });

  it('in English, and as CSV, JSON and HTML', async () => {
    const r = await cli(['report', 'meeting', String(m.id)], 'en');
    expect(r.code).toBe(0);
    expect(fits(r.stdout)).toBe(true);
    expect(flat(r.stdout)).toContain(
      '1 of 2 sites ready at T−15, 1 connected, 2 incidents (1 led to rescheduling it)',
    );
    expect(flat(r.stdout)).toContain('Summary, to quote in a report:');
    const csv = (await cli(['report', 'meeting', String(m.id), '--format', 'csv'], 'en')).stdout.split(
      /\r?\n/,
    );
    expect(csv[0]).toBe(
      'site,name,unit,state,last_run_at,last_verdict,in_window,failing,open_incidents,technician,technician_phone,focal_point,focal_point_phone,overlaps,connected,connected_since,minutes_connected,confirmations,at_t15,incidents_during,summary',
    );
    const json = JSON.parse(
      (await cli(['report', 'meeting', String(m.id), '--format', 'json'], 'en')).stdout,
    );
    expect(json).toMatchObject({
      schema: 'diemcau/report-meeting@1',
      during: { minutes: 120, readyAtT15: 1, connected: 1, incidents: 2, rescheduled: 1 },
      line: { vi: expect.stringContaining('2 sự cố (1 phải đổi thời gian họp)') },
    });
    const out = path.join(dir, 'after.html');
    expect((await cli(['report', 'meeting', String(m.id), '--format', 'html', '-o', out], 'vi')).code).toBe(
      0,
    );
    const page = fs.readFileSync(out, 'utf8');
    expect(page).toContain('<section id="summary">');
    expect(page).toContain('<th>Sự cố trong cuộc họp</th>');
  });
});

describe('report meetings --since 30d', () => {
  it('counts per meeting: sites, ready at T−15, joined, incidents during, effects (vi, en, csv, json, html)', async () => {
    const vi = await cli(['report', 'meetings', '--since', '30d'], 'vi');
    expect(vi.code).toBe(0);
    expect(vi.stdout).toContain('Kết nối');
    expect(flat(vi.stdout)).toMatch(/1\/2 1\/2 2 1 đổi giờ/);
    const en = await cli(['report', 'meetings', '--since', '30d'], 'en');
    expect(fits(en.stdout)).toBe(true);
    expect(flat(en.stdout)).toMatch(/Ready Joined Incidents Effect/);
    expect(flat(en.stdout)).toMatch(/1\/2 1\/2 2 1 resched\./);
    const csv = (await cli(['report', 'meetings', '--since', '30d', '--format', 'csv'], 'en')).stdout.split(
      /\r?\n/,
    );
    expect(csv[0]).toContain(
      ',ready_at_t15,connected,incidents_during,postponed,cancelled,rescheduled,summary',
    );
    expect(csv[1]).toContain(',true,1,1,2,0,0,1,');
    const json = JSON.parse(
      (await cli(['report', 'meetings', '--since', '30d', '--format', 'json'], 'en')).stdout,
    );
    expect(json.meetings[0]).toMatchObject({
      counts: { sites: 2, ready: 1 },
      snapshot: true,
      during: { readyAtT15: 1, connected: 1, incidents: 2, rescheduled: 1 },
    });
    const out = path.join(dir, 'meetings.html');
    expect(
      (await cli(['report', 'meetings', '--since', '30d', '--format', 'html', '-o', out], 'en')).code,
    ).toBe(0);
    const page = fs.readFileSync(out, 'utf8');
    expect(page).toContain('<table id="meetings-list">');
    expect(page).toContain('1 of 2 sites ready at T−15');
  });
});
