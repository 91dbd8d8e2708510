/**
 * The meeting routes (docs/meetings.md, docs/registry-api.md): booking with
 * its bad inputs, each a one-line 400 naming the field; roles and scope;
 * clash and notice (409 meeting_clash / short_notice); idempotency; changes
 * and status moves; the readiness per meeting; the .ics read by a real
 * parser (Debian's python3-icalendar); the T−15 snapshot; and concurrent
 * bookings through two registries on one PostgreSQL.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Meeting, MeetingReadiness } from '../../src/model/meeting.js';
import { schedulerTick } from '../../src/registry/meeting-scheduler.js';
import { openPostgres } from '../../src/registry/store/postgres.js';
import { haveCapability, havePeer } from '../helpers/peers.js';
import { bearer, NOW, newKey, post, runBody } from './fixtures.js';
import { at, DAY, HOUR, type MeetingApp, meetingApp, meetingBody } from './meetings-fixtures.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';

let t: MeetingApp;
const inject = (
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  url: string,
  headers: Record<string, string>,
  payload?: unknown,
) => t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
const book = async (over: Parameters<typeof meetingBody>[0] = {}, token = t.tokens.coord) =>
  inject('POST', '/v1/meetings', post(token), meetingBody(over));
const booked = async (over: Parameters<typeof meetingBody>[0] = {}): Promise<Meeting> => {
  const r = await book(over);
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as Meeting;
};

beforeEach(async () => {
  t = await meetingApp();
});

describe('POST /v1/meetings', () => {
  it('a coordinator books: 201 with the meeting, the bridge resolved, its history', async () => {
    const r = await book();
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      id: 1,
      title: 'Kỳ họp HĐND tỉnh',
      hostUnit: 'thanh-hoa/hdnd',
      kind: 'regular',
      bridge: 'tinh',
      bridgeUri: 'sip:8001@mcu.thanhhoa.gov.vn',
      status: 'scheduled',
      flags: [],
      history: [{ action: 'created', by: 'vp-ubnd-tinh' }],
    });
  });

  it.each([
    ['end before start', { end: at(NOW + 4 * DAY - HOUR) }, 'end', 'end: is before start'],
    ['zero length', { end: at(NOW + 4 * DAY) }, 'end', 'end: equals start'],
    ['longer than 7 days', { end: at(NOW + 12 * DAY) }, 'end', 'end: is more than 7 days after start'],
    ['an unknown bridge', { bridge: 'huyen' }, 'bridge', 'bridge: unknown bridge huyen; known: tinh, tinh-2'],
    [
      'an unknown site',
      { participants: { sites: ['th-quangphu', 'no-such'] } },
      'participants.sites[1]',
      'participants.sites[1]: unknown site no-such',
    ],
    ['no participants', { participants: {} }, 'participants', 'participants: name at least one'],
    [
      'a start in the past',
      { start: at(NOW - DAY), end: at(NOW - DAY + HOUR) },
      'start',
      'start: is in the past',
    ],
    ['a time without a zone', { start: '2026-12-01T07:30:00' }, 'start', 'start: must be a date-time'],
  ])('refuses %s: 400 naming the field, one line, nothing written', async (_, over, field, message) => {
    const r = await book(over);
    expect(r.statusCode).toBe(400);
    const err = r.json().error;
    expect(err.field).toBe(field);
    expect(err.message.startsWith(message), err.message).toBe(true);
    expect(err.message).not.toContain('\n');
    const list = await inject('GET', '/v1/meetings', bearer(t.tokens.admin));
    expect(list.json().items).toEqual([]);
  });

  it('keeps a past meeting with record: true, flagged recorded, with no notice rule', async () => {
    const r = await book({ start: at(NOW - DAY), end: at(NOW - DAY + HOUR), record: true });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ flags: ['recorded'], status: 'done' });
  });

  it('a SIP URI is a bridge too, and clashes with the id that names the same URI', async () => {
    await booked();
    const r = await book({ bridge: 'SIP:8001@MCU.thanhhoa.gov.vn', title: 'Giao ban' });
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toMatchObject({ code: 'meeting_clash', other: { id: 1, on: 'bridge' } });
  });

  it('roles and scope: technician, viewer 403; a coordinator outside its unit 403; admin books', async () => {
    expect((await book({}, t.tokens.tech)).statusCode).toBe(403);
    expect((await book({}, t.tokens.viewer)).statusCode).toBe(403);
    const out = await book({ hostUnit: 'nghe-an/ubnd' });
    expect(out.statusCode).toBe(403);
    expect(out.json().error.message).toBe('this token may book for unit thanh-hoa only, not nghe-an/ubnd');
    expect((await book({ hostUnit: 'thanh-hoa/hdnd' }, t.tokens.coordBimSon)).statusCode).toBe(403);
    expect((await book({ hostUnit: 'nghe-an/ubnd' }, t.tokens.admin)).statusCode).toBe(201);
    // A coordinator writes meetings only: no runs.
    const run = await inject('POST', '/v1/runs', post(t.tokens.coord), runBody());
    expect(run.statusCode).toBe(403);
  });

  it('clash: 409 meeting_clash naming the other meeting; half-open; --allow-clash books it flagged', async () => {
    const first = await booked();
    const r = await book({
      title: 'Giao ban',
      start: at(NOW + 4 * DAY + HOUR),
      end: at(NOW + 4 * DAY + 4 * HOUR),
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toEqual({
      code: 'meeting_clash',
      message: expect.stringMatching(/^meeting 1 "Kỳ họp HĐND tỉnh" holds the same bridge \(tinh\)/),
      params: {
        id: String(first.id),
        title: 'Kỳ họp HĐND tỉnh',
        on: 'bridge',
        what: 'tinh',
        start: first.start,
        end: first.end,
      },
      other: {
        id: first.id,
        title: 'Kỳ họp HĐND tỉnh',
        start: first.start,
        end: first.end,
        bridge: 'tinh',
        on: 'bridge',
      },
    });
    const touching = await book({ title: 'Sau', start: first.end, end: at(Date.parse(first.end) + HOUR) });
    expect(touching.statusCode).toBe(201);
    const forced = await book({ title: 'Giao ban', allowClash: true });
    expect(forced.statusCode).toBe(201);
    expect(forced.json()).toMatchObject({ flags: ['clash_allowed'], clashesWith: [first.id] });
  });

  it('the same host room at the same time clashes, whatever the bridge', async () => {
    await booked({ room: 'Phòng họp số 1' });
    const r = await book({ bridge: 'tinh-2', room: 'phòng họp  SỐ 1', title: 'Khác' });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.other).toMatchObject({ on: 'room', room: 'Phòng họp số 1' });
  });

  it('notice: a regular meeting inside 3 days is 409 short_notice; an emergency is exempt and flagged, listed first', async () => {
    const soon = { start: at(NOW + 20 * HOUR), end: at(NOW + 22 * HOUR) };
    const r = await book(soon);
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('short_notice');
    expect(r.json().error.message).toMatch(/needs 72 h notice \(the default rule\); this one is 20 h ahead/);
    const e = await book({ ...soon, kind: 'emergency', title: 'Phòng chống bão số 5' });
    expect(e.statusCode).toBe(201);
    expect(e.json().flags).toEqual(['emergency', 'short_notice_allowed']);
    await booked({ bridge: 'tinh-2', start: at(NOW + 4 * DAY), end: at(NOW + 4 * DAY + HOUR) });
    const list = await inject('GET', '/v1/meetings', bearer(t.tokens.admin));
    expect(list.json().items.map((m: Meeting) => m.kind)).toEqual(['emergency', 'regular']);
  });

  it('notice rules per unit: admin sets them, the longest prefix wins; others may not', async () => {
    const rule = { unit: 'thanh-hoa/hdnd', hours: 12 };
    expect((await inject('PUT', '/v1/notice-rules', bearer(t.tokens.coord), rule)).statusCode).toBe(403);
    const set = await inject('PUT', '/v1/notice-rules', bearer(t.tokens.admin), rule);
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ unit: 'thanh-hoa/hdnd', hours: 12, by: 'admin' });
    await inject('PUT', '/v1/notice-rules', bearer(t.tokens.admin), { unit: 'thanh-hoa', hours: 96 });
    expect((await book({ start: at(NOW + 20 * HOUR), end: at(NOW + 22 * HOUR) })).statusCode).toBe(201);
    const other = await book({
      hostUnit: 'thanh-hoa/ubnd',
      start: at(NOW + 3.5 * DAY),
      end: at(NOW + 3.6 * DAY),
    });
    expect(other.json().error.message).toMatch(/needs 96 h notice \(the rule of thanh-hoa\)/);
    const rules = await inject('GET', '/v1/notice-rules', bearer(t.tokens.tech));
    expect(rules.json()).toMatchObject({
      defaultHours: 72,
      items: [{ unit: 'thanh-hoa' }, { unit: 'thanh-hoa/hdnd' }],
    });
  });

  it('idempotency: a replay gets the first answer and books nothing twice; the key with another body is 409', async () => {
    const key = newKey();
    const first = await inject('POST', '/v1/meetings', post(t.tokens.coord, key), meetingBody());
    const again = await inject('POST', '/v1/meetings', post(t.tokens.coord, key), meetingBody());
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const reused = await inject(
      'POST',
      '/v1/meetings',
      post(t.tokens.coord, key),
      meetingBody({ title: 'x' }),
    );
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('idempotency_key_reused');
    expect((await inject('POST', '/v1/meetings', bearer(t.tokens.coord), meetingBody())).statusCode).toBe(
      400,
    );
  });
});

describe('reading meetings', () => {
  it("a participating site's technician reads it; another unit's is 403; lists filter by site and unit", async () => {
    const m = await booked();
    await booked({
      title: 'Nghệ An',
      hostUnit: 'thanh-hoa/so',
      bridge: 'tinh-2',
      participants: { sites: ['na-vinh'] },
    });
    expect((await inject('GET', `/v1/meetings/${m.id}`, bearer(t.tokens.tech))).statusCode).toBe(200);
    const other = await inject('GET', `/v1/meetings/${m.id}`, bearer(t.tokens.techOther));
    expect(other.statusCode).toBe(403);
    const mine = await inject('GET', '/v1/meetings', bearer(t.tokens.tech));
    expect(mine.json().items.map((x: Meeting) => x.title)).toEqual(['Kỳ họp HĐND tỉnh']);
    const bySite = await inject('GET', '/v1/meetings?site=na-vinh', bearer(t.tokens.admin));
    expect(bySite.json().items.map((x: Meeting) => x.title)).toEqual(['Nghệ An']);
    expect((await inject('GET', '/v1/meetings?site=na-vinh', bearer(t.tokens.tech))).statusCode).toBe(403);
    expect((await inject('GET', '/v1/meetings?unit=nghe-an', bearer(t.tokens.tech))).statusCode).toBe(403);
    expect((await inject('GET', '/v1/meetings/99', bearer(t.tokens.admin))).statusCode).toBe(404);
  });

  it('cursor pages', async () => {
    for (let i = 0; i < 5; i++)
      await booked({ title: `M${i}`, start: at(NOW + (4 + i) * DAY), end: at(NOW + (4 + i) * DAY + HOUR) });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await inject(
        'GET',
        `/v1/meetings?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        bearer(t.tokens.admin),
      );
      seen.push(...page.json().items.map((x: Meeting) => x.title));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(['M0', 'M1', 'M2', 'M3', 'M4']);
    expect((await inject('GET', '/v1/meetings?cursor=zzz', bearer(t.tokens.admin))).json().error.field).toBe(
      'cursor',
    );
  });
});

describe('PATCH /v1/meetings/:id', () => {
  it('cancels with a note kept in the history; the bridge is free again', async () => {
    const m = await booked();
    const r = await inject('PATCH', `/v1/meetings/${m.id}`, bearer(t.tokens.coordOther), {
      status: 'cancelled',
      note: 'Bão số 5',
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      status: 'cancelled',
      history: [
        { action: 'created' },
        {
          action: 'cancelled',
          by: 'vp-tinh-uy',
          note: 'Bão số 5',
          changes: { status: { from: 'scheduled', to: 'cancelled' } },
        },
      ],
    });
    expect((await book({ title: 'Thay thế' })).statusCode).toBe(201);
    const again = await inject('PATCH', `/v1/meetings/${m.id}`, bearer(t.tokens.coord), {
      status: 'cancelled',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('invalid_transition');
  });

  it('refuses to cancel a meeting that is done', async () => {
    const m = await booked();
    t.now.ms = Date.parse(m.end) + 1;
    const r = await inject('PATCH', `/v1/meetings/${m.id}`, bearer(t.tokens.coord), { status: 'cancelled' });
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toEqual({
      code: 'invalid_transition',
      message: 'meeting 1 is done; it can no longer be changed',
      params: { what: 'meeting', id: '1', status: 'done' },
    });
  });

  it('postpones, then moves it: re-checked for clashes and notice', async () => {
    const m = await booked();
    const other = await booked({ title: 'Khác', start: at(NOW + 6 * DAY), end: at(NOW + 6 * DAY + HOUR) });
    const p = await inject('PATCH', `/v1/meetings/${m.id}`, bearer(t.tokens.coord), { status: 'postponed' });
    expect(p.json().status).toBe('postponed');
    const clash = await inject('PATCH', `/v1/meetings/${m.id}`, bearer(t.tokens.coord), {
      start: other.start,
      end: other.end,
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.other.id).toBe(other.id);
    const short = await inject('PATCH', `/v1/meetings/${m.id}`, bearer(t.tokens.coord), {
      start: at(NOW + DAY),
      end: at(NOW + DAY + HOUR),
    });
    expect(short.json().error.code).toBe('short_notice');
    const moved = await inject('PATCH', `/v1/meetings/${m.id}`, bearer(t.tokens.coord), {
      start: at(NOW + 5 * DAY),
      end: at(NOW + 5 * DAY + HOUR),
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ status: 'scheduled', start: at(NOW + 5 * DAY) });
    expect(moved.json().history.map((e: { action: string }) => e.action)).toEqual([
      'created',
      'postponed',
      'rescheduled',
    ]);
    const bad = await inject('PATCH', `/v1/meetings/${m.id}`, bearer(t.tokens.coord), {
      end: at(NOW + 4 * DAY),
    });
    expect(bad.json().error.field).toBe('end');
  });

  it('changes by a token out of scope are 403 and write nothing', async () => {
    const m = await booked();
    for (const token of [t.tokens.coordBimSon, t.tokens.tech, t.tokens.viewer]) {
      const r = await inject('PATCH', `/v1/meetings/${m.id}`, bearer(token), { title: 'x' });
      expect(r.statusCode).toBe(403);
    }
    expect((await inject('GET', `/v1/meetings/${m.id}`, bearer(t.tokens.admin))).json().history).toHaveLength(
      1,
    );
  });
});

describe('GET /v1/meetings/:id/readiness', () => {
  it('per site: last check before the meeting, the T−60 window, incidents, whom to call, overlaps', async () => {
    const m = await booked({ participants: { units: ['thanh-hoa/bim-son'], sites: ['th-quangphu'] } });
    const startMs = Date.parse(m.start);
    const upload = async (site: string, unit: string, startedMs: number, verdict: 'ready' | 'not-ready') => {
      t.now.ms = startedMs + 5000;
      const r = await inject(
        'POST',
        '/v1/runs',
        post(t.tokens.admin),
        runBody({ siteId: site, unit, verdict, startedAt: at(startedMs) }),
      );
      expect(r.statusCode, r.body).toBe(201);
    };
    await upload('th-bimson-ubnd', 'thanh-hoa/bim-son/ubnd', startMs - 30 * 60_000, 'ready');
    await upload('th-bimson-xa', 'thanh-hoa/bim-son/xa', startMs - 90 * 60_000, 'ready');
    await upload('th-quangphu', 'thanh-hoa/quang-phu', startMs - 20 * 60_000, 'not-ready');
    await inject('POST', '/v1/incidents', post(t.tokens.admin), {
      site: { id: 'th-quangphu', unit: 'thanh-hoa/quang-phu' },
      category: 'mat_dien',
      severity: 'critical',
      summary: 'Mất điện hội trường',
      occurredAt: at(startMs - 19 * 60_000),
    });
    // Quảng Phú is also in another meeting at the same time: a warning on both.
    t.now.ms = NOW;
    const other = await booked({
      title: 'Giao ban',
      bridge: 'tinh-2',
      participants: { sites: ['th-quangphu'] },
    });
    t.now.ms = startMs - 15 * 60_000;
    const r = await inject('GET', `/v1/meetings/${m.id}/readiness`, bearer(t.tokens.viewer));
    expect(r.statusCode).toBe(200);
    const body = r.json() as MeetingReadiness;
    expect(body.windowOpen).toBe(true);
    expect(body.windowStart).toBe(at(startMs - HOUR));
    expect(body.counts).toEqual({
      sites: 3,
      ready: 1,
      degraded: 0,
      notReady: 1,
      unknown: 0,
      notChecked: 1,
      withIncidents: 1,
      overlapping: 1,
    });
    const by = Object.fromEntries(body.sites.map((s) => [s.id, s]));
    expect(by['th-bimson-ubnd']).toMatchObject({
      state: 'ready',
      lastRun: { inWindow: true, verdict: 'ready' },
      technician: { name: 'KTV th-bimson-ubnd', phone: '0912 000 000' },
      focal_point: { phone: '0237 000' },
      connected: null,
      confirmations: [],
    });
    expect(by['th-bimson-xa']).toMatchObject({
      state: 'not-checked',
      lastRun: { inWindow: false, verdict: 'ready' },
    });
    expect(by['th-quangphu']).toMatchObject({
      state: 'not-ready',
      lastRun: { failing: ['sip-port'] },
      openIncidents: [{ category: 'mat_dien', summary: 'Mất điện hội trường' }],
      overlaps: [other.id],
    });
    const mirror = (
      await inject('GET', `/v1/meetings/${other.id}/readiness`, bearer(t.tokens.admin))
    ).json() as MeetingReadiness;
    expect(mirror.sites[0]?.overlaps).toEqual([m.id]);
    expect(
      (await inject('GET', `/v1/meetings/${m.id}/readiness`, bearer(t.tokens.techOther))).statusCode,
    ).toBe(403);
  });

  it('the T−15 snapshot: taken once by the scheduler, kept with the meeting, due ones taken after a restart', async () => {
    const m = await booked();
    const startMs = Date.parse(m.start);
    expect(
      (await inject('GET', `/v1/meetings/${m.id}/readiness?snapshot=true`, bearer(t.tokens.admin)))
        .statusCode,
    ).toBe(404);
    expect((await schedulerTick(t.store, startMs - 20 * 60_000)).snapshots).toEqual([]);
    // The registry was down at T−15: the first tick after (T−5) takes it.
    expect(await schedulerTick(t.store, startMs - 5 * 60_000)).toEqual({
      snapshots: [m.id],
      started: [],
      ended: [],
    });
    expect((await schedulerTick(t.store, startMs - 4 * 60_000)).snapshots).toEqual([]);
    const snap = await inject('GET', `/v1/meetings/${m.id}/readiness?snapshot=true`, bearer(t.tokens.admin));
    expect(snap.json()).toMatchObject({
      snapshot: true,
      generatedAt: at(startMs - 5 * 60_000),
      counts: { sites: 2, notChecked: 2 },
    });
    expect(await schedulerTick(t.store, startMs + 1)).toEqual({ snapshots: [], started: [m.id], ended: [] });
    t.now.ms = startMs + 1;
    const started = (await inject('GET', `/v1/meetings/${m.id}`, bearer(t.tokens.admin))).json() as Meeting;
    expect(started).toMatchObject({
      status: 'in-progress',
      frozenSites: ['th-bimson-ubnd', 'th-bimson-xa'],
      snapshotAt: at(startMs - 5 * 60_000),
    });
  });
});

const PYTHON = '/usr/bin/python3';
const HAVE_ICAL =
  havePeer(PYTHON, 'apt install python3') &&
  haveCapability(
    'python3-icalendar',
    (() => {
      try {
        execFileSync(PYTHON, ['-c', 'import icalendar'], { stdio: 'pipe' });
        return true;
      } catch {
        return false;
      }
    })(),
    'apt install python3-icalendar',
  );

describe.skipIf(!HAVE_ICAL)('GET /v1/meetings/:id/ics, read by python3-icalendar', () => {
  it('one VEVENT in Asia/Ho_Chi_Minh at the local wall time, alarms at T−60 and T−15', async () => {
    const m = await booked({
      start: '2026-12-03T07:30:00+07:00',
      end: '2026-12-03T11:30:00+07:00',
      room: 'Hội trường A',
    });
    const r = await inject('GET', `/v1/meetings/${m.id}/ics`, bearer(t.tokens.tech));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-ics-'));
    const file = path.join(dir, 'm.ics');
    fs.writeFileSync(file, r.body);
    const script = `
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = []
for ev in cal.walk('VEVENT'):
    s = ev.decoded('dtstart')
    out.append({'summary': str(ev['summary']), 'start': s.isoformat(), 'tzid': ev['dtstart'].params.get('TZID'),
                'utc': s.astimezone(__import__('datetime').timezone.utc).isoformat(), 'location': str(ev['location']),
                'alarms': sorted(int(a.decoded('trigger').total_seconds()) for a in ev.walk('VALARM'))})
print(json.dumps({'tz': [str(z['tzid']) for z in cal.walk('VTIMEZONE')], 'events': out}))
`;
    const parsed = JSON.parse(execFileSync(PYTHON, ['-c', script, file], { encoding: 'utf8' }));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(parsed).toEqual({
      tz: ['Asia/Ho_Chi_Minh'],
      events: [
        {
          summary: 'Kỳ họp HĐND tỉnh',
          start: '2026-12-03T07:30:00+07:00',
          tzid: 'Asia/Ho_Chi_Minh',
          utc: '2026-12-03T00:30:00+00:00',
          location: 'Hội trường A',
          alarms: [-3600, -900],
        },
      ],
    });
  });
});

describe.skipIf(!havePeer(INITDB, 'apt install postgresql'))('two registries on one PostgreSQL', () => {
  let pg: TestPostgres | undefined;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.stop());

  it('coordinators booking the same bridge at once through both: exactly one 201, the rest 409 meeting_clash', async () => {
    const url = await freshDatabase((pg as TestPostgres).url, 'meet_http');
    const one = await meetingApp(await openPostgres(url));
    const two = await meetingApp(await openPostgres(url));
    try {
      await Promise.all([one.store.ping(), two.store.ping(), one.store.ping(), two.store.ping()]);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? two : one).app.inject({
            method: 'POST',
            url: '/v1/meetings',
            headers: post(i % 2 ? two.tokens.coord : one.tokens.coordOther),
            payload: meetingBody({ title: `Họp ${i}` }),
          }),
        ),
      );
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      expect(
        results.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'meeting_clash'),
      ).toBe(true);
    } finally {
      await one.app.close();
      await two.app.close();
    }
  });
});
