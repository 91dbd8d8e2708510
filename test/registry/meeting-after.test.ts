/**
 * After the meeting (docs/meetings.md), on SQLite and a real PostgreSQL: the
 * incidents during a meeting (occurred between start and end, or earlier and
 * still open at the start) with their effect, each site's state in the T−15
 * snapshot, minutes on the bridge, the one-line summaries in Vietnamese and
 * English; then `report meeting` and `report meetings` in every format, user
 * text made safe for the terminal, CSV and HTML.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import type { IncidentInput } from '../../src/model/incident.js';
import type { Meeting, MeetingReadiness } from '../../src/model/meeting.js';
import { schedulerTick } from '../../src/registry/meeting-scheduler.js';
import { openPostgres } from '../../src/registry/store/postgres.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import type { Store } from '../../src/registry/store/types.js';
import { renderMeeting, renderMeetings } from '../../src/report/fleet/meeting.js';
import { width } from '../../src/util/table.js';
import { havePeer } from '../helpers/peers.js';
import { bearer, incidentBody, post, runBody } from './fixtures.js';
import { at, HOUR, meetingApp, meetingBody } from './meetings-fixtures.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';

const MIN = 60_000;

/** "08:10": an instant's wall clock in Vietnam, as the reports print it. */
const hhmm = (ms: number) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
const UBND = 'th-bimson-ubnd';
const XA = 'th-bimson-xa';
/** A site name with what must never reach a terminal, a spreadsheet formula or an HTML page as markup. */
const XA_NAME = '=UBND xã <b>Quang</b>\u001b[2J\u0007';
const local = (ms: number) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh',
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    })
      .formatToParts(ms)
      .map((x) => [x.type, x.value]),
  );
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
};

function storeSuite(name: string, open: () => Promise<Store>) {
  it(`incidentsDuring on ${name}: during, or open at the start; not before, after, or of other sites`, async () => {
    const s = await open();
    try {
      const start = Date.parse('2026-12-03T00:30:00Z');
      const end = start + 3 * HOUR;
      for (const [id, unit] of [
        [UBND, 'thanh-hoa/bim-son/ubnd'],
        [XA, 'thanh-hoa/bim-son/xa'],
        ['na-vinh', 'nghe-an/vinh'],
      ] as const)
        await s.putSite(id, { name: id, unit }, start - 10 * HOUR);
      let n = 0;
      const file = async (siteId: string, occurredMs: number, summary: string, effect = 'none') => {
        const r = await s.createIncident(
          {
            siteId,
            siteName: siteId,
            unit:
              { [UBND]: 'thanh-hoa/bim-son/ubnd', [XA]: 'thanh-hoa/bim-son/xa' }[siteId] ?? 'nghe-an/vinh',
            category: 'mat_dien',
            severity: 'major',
            occurredMs,
            createdMs: occurredMs,
            body: JSON.stringify({ summary, ...(effect === 'none' ? {} : { effect }) }),
            by: 'ktv',
          },
          { key: `${name}-i${++n}`, fingerprint: 'fp' },
        );
        if (r.kind !== 'created') throw new Error(r.kind);
        return r.value.id;
      };
      const resolve = (id: number, atMs: number) =>
        s.updateIncident(id, { status: 'resolved', note: undefined, by: 'ktv', atMs }, undefined);
      const fixedBefore = await file(XA, start - 2 * HOUR, 'fixed before');
      await resolve(fixedBefore, start - HOUR);
      const fixedAfterStart = await file(XA, start - 2 * HOUR, 'fixed after the start');
      await resolve(fixedAfterStart, start + 10 * MIN);
      const openSince = await file(XA, start - 30 * HOUR, 'open since the day before');
      const atStart = await file(UBND, start, 'at the start', 'postponed');
      const during = await file(UBND, start + HOUR, 'during', 'cancelled');
      await file(UBND, end, 'at the end');
      await file('na-vinh', start + HOUR, 'not a participant');
      const got = await s.incidentsDuring([UBND, XA], start, end);
      expect(got.map((i) => i.id)).toEqual([openSince, fixedAfterStart, atStart, during]);
      expect(got.find((i) => i.id === fixedAfterStart)).toEqual({
        id: fixedAfterStart,
        siteId: XA,
        category: 'mat_dien',
        severity: 'major',
        status: 'resolved',
        summary: 'fixed after the start',
        effect: 'none',
        occurredMs: start - 2 * HOUR,
        resolvedMs: start + 10 * MIN,
      });
      expect(got.find((i) => i.id === during)?.effect).toBe('cancelled');
      expect(got.find((i) => i.id === openSince)?.resolvedMs).toBeUndefined();
      expect(await s.incidentsDuring([], start, end)).toEqual([]);
    } finally {
      await s.close();
    }
  });
}

function routeSuite(name: string, open: () => Promise<Store>) {
  it(`readiness after the meeting on ${name}: incidents during with their effect, T−15, minutes, summaries`, async () => {
    const t = await meetingApp(await open());
    try {
      const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: object, payload?: object) =>
        t.app.inject({
          method,
          url,
          headers: headers as Record<string, string>,
          ...(payload ? { payload } : {}),
        });
      await t.store.putSite(
        XA,
        {
          name: XA_NAME,
          unit: 'thanh-hoa/bim-son/xa',
          technician: { name: 'KTV xã', phone: '0912 111 111' },
        },
        t.now.ms,
      );
      const made = await inject('POST', '/v1/meetings', post(t.tokens.coord), meetingBody());
      expect(made.statusCode, made.body).toBe(201);
      const m = made.json() as Meeting;
      const T0 = Date.parse(m.start);
      const T1 = Date.parse(m.end);
      const fileAt = async (nowMs: number, body: Partial<IncidentInput>) => {
        t.now.ms = nowMs;
        const r = await inject('POST', '/v1/incidents', post(t.tokens.admin), incidentBody(body));
        expect(r.statusCode, r.body).toBe(201);
        return (r.json() as { id: number }).id;
      };
      const xaSite = { id: XA, name: 'xa', unit: 'thanh-hoa/bim-son/xa' };
      const ubndSite = { id: UBND, name: 'ubnd', unit: 'thanh-hoa/bim-son/ubnd' };
      // Before the meeting: one fixed in time, one still open at the start.
      const fixed = await fileAt(T0 - 2 * HOUR, {
        site: xaSite,
        category: 'mat_dien',
        severity: 'critical',
        summary: 'Mất điện',
        occurredAt: at(T0 - 2 * HOUR),
        effect: 'none',
      });
      t.now.ms = T0 - HOUR;
      expect(
        (await inject('PATCH', `/v1/incidents/${fixed}`, bearer(t.tokens.admin), { status: 'resolved' }))
          .statusCode,
      ).toBe(200);
      const line = await fileAt(T0 - 20 * MIN, {
        site: xaSite,
        category: 'su_co_duong_truyen',
        severity: 'major',
        summary: 'Đường truyền chập chờn',
        occurredAt: at(T0 - 20 * MIN),
        effect: 'none',
      });
      // UBND checked and ready at T−30; the registry's own snapshot at T−15.
      t.now.ms = T0 - 30 * MIN;
      const run = await inject(
        'POST',
        '/v1/runs',
        post(t.tokens.admin),
        runBody({ verdict: 'ready', startedAt: at(T0 - 30 * MIN) }),
      );
      expect(run.statusCode, run.body).toBe(201);
      expect((await schedulerTick(t.store, T0 - 15 * MIN)).snapshots).toEqual([m.id]);

      const readiness = async (nowMs: number) => {
        t.now.ms = nowMs;
        const r = await inject('GET', `/v1/meetings/${m.id}/readiness`, bearer(t.tokens.viewer));
        expect(r.statusCode, r.body).toBe(200);
        const body = r.json() as MeetingReadiness;
        return { body, by: Object.fromEntries(body.sites.map((s) => [s.id, s])) };
      };
      // Before T0: the incidents "during" are those open now; no minutes yet.
      const before = await readiness(T0 - 5 * MIN);
      expect(before.body.during).toEqual({
        minutes: null,
        readyAtT15: 1,
        connected: null,
        incidents: 1,
        postponed: 0,
        cancelled: 0,
        rescheduled: 0,
      });
      expect(before.by[XA]?.incidentsDuring?.map((i) => i.id)).toEqual([line]);
      expect(before.by[UBND]?.line?.vi).toBe('Site th-bimson-ubnd: sẵn sàng lúc T−15, không có sự cố');

      // During: UBND on the bridge from T−2 to T+178 min; XA never. Incidents at T+30 and T+60, one after the end.
      const state = async (site: string, atMs: number, s: string, remote?: string) => {
        t.now.ms = atMs;
        const r = await inject('POST', `/v1/sites/${site}/call-states`, post(t.tokens.admin), {
          at: at(atMs),
          state: s,
          ...(remote ? { remote } : {}),
        });
        expect(r.statusCode, r.body).toBe(201);
      };
      await state(UBND, T0 - 2 * MIN, 'connected', 'sip:8001@mcu.thanhhoa.gov.vn');
      await schedulerTick(t.store, T0 + 1);
      const sound = await fileAt(T0 + 30 * MIN, {
        site: ubndSite,
        category: 'khong_tieng',
        severity: 'minor',
        summary: 'Mất tiếng \u001b[31m30 giây',
        occurredAt: at(T0 + 30 * MIN),
        effect: 'none',
      });
      const lost = await fileAt(T0 + HOUR, {
        site: xaSite,
        category: 'mat_ket_noi',
        severity: 'critical',
        summary: 'Mất kết nối',
        occurredAt: at(T0 + HOUR),
        effect: 'postponed',
      });
      await state(UBND, T0 + 178 * MIN, 'disconnected');
      await fileAt(T1 + HOUR, {
        site: ubndSite,
        category: 'khong_hinh',
        summary: 'Sau giờ họp',
        occurredAt: at(T1 + HOUR),
        effect: 'none',
      });
      await schedulerTick(t.store, T1 + 1);

      const after = await readiness(T1 + 2 * HOUR);
      expect(after.body.during).toEqual({
        minutes: 180,
        readyAtT15: 1,
        connected: 1,
        incidents: 3,
        postponed: 1,
        cancelled: 0,
        rescheduled: 0,
      });
      expect(after.by[UBND]).toMatchObject({
        atT15: 'ready',
        connected: { minutes: 178 },
        incidentsDuring: [
          {
            id: sound,
            category: 'khong_tieng',
            severity: 'minor',
            status: 'open',
            effect: 'none',
            occurredAt: at(T0 + 30 * MIN),
          },
        ],
      });
      expect(after.by[XA]?.atT15).toBe('not-checked');
      expect(after.by[XA]?.incidentsDuring?.map((i) => [i.id, i.effect])).toEqual([
        [line, 'none'],
        [lost, 'postponed'],
      ]);
      expect(after.by[UBND]?.line).toEqual({
        vi: `Site th-bimson-ubnd: sẵn sàng lúc T−15, kết nối 178/180 phút, 1 sự cố (không có tiếng lúc ${hhmm(T0 + 30 * MIN)}, không ảnh hưởng)`,
        en: `Site th-bimson-ubnd: ready at T−15, connected 178 of 180 min, 1 incident (no sound at ${hhmm(T0 + 30 * MIN)}, no effect on the meeting)`,
      });
      expect(after.by[XA]?.line?.vi).toBe(
        `=UBND xã <b>Quang</b>: đến T−15 chưa kiểm tra, không vào cầu, 2 sự cố (sự cố đường truyền lúc ${hhmm(T0 - 20 * MIN)}, không ảnh hưởng; mất kết nối lúc ${hhmm(T0 + HOUR)}, phải hoãn họp)`,
      );
      expect(after.body.line).toEqual({
        vi: `Kỳ họp HĐND tỉnh (${local(T0)}): 1/2 điểm cầu sẵn sàng lúc T−15, 1 kết nối, 3 sự cố (1 phải hoãn họp)`,
        en: `Kỳ họp HĐND tỉnh (${local(T0)}): 1 of 2 sites ready at T−15, 1 connected, 3 incidents (1 led to postponing it)`,
      });
      // The stored snapshot is as it was at T−15.
      const snap = (
        await inject('GET', `/v1/meetings/${m.id}/readiness?snapshot=true`, bearer(t.tokens.viewer))
      ).json() as MeetingReadiness;
      expect(snap.during?.incidents).toBe(1);

      const ro = {
        t: translator('vi'),
        locale: 'vi' as const,
        color: false,
        tty: true,
        columns: 80,
        timeZone: 'Asia/Ho_Chi_Minh',
      };
      const vi = renderMeeting(after.body, 'table', ro);
      expect(vi).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      expect(vi.split('\n').every((l) => width(l) <= 80)).toBe(true);
      expect(vi).toContain('Tóm tắt để đưa vào báo cáo:');
      expect(vi.replace(/\s+/g, ' ')).toContain(
        `1/2 điểm cầu sẵn sàng lúc T−15, 1 kết nối, 3 sự cố (1 phải hoãn họp)`,
      );
      expect(vi.replace(/\s+/g, ' ')).toContain(
        `- Site th-bimson-ubnd: sẵn sàng lúc T−15, kết nối 178/180 phút`,
      );
      const en = renderMeeting(after.body, 'table', {
        ...ro,
        t: translator('en'),
        locale: 'en',
        columns: Number.POSITIVE_INFINITY,
      });
      expect(en).toContain('Summary, to quote in a report:');
      expect(en).toContain('Incidents during');
      expect(en).toContain(`#${lost} connection lost (critical) at ${hhmm(T0 + HOUR)}, meeting postponed`);
      expect(en).toContain(after.body.line?.en);
      const csv = renderMeeting(after.body, 'csv', ro).split(/\r?\n/);
      expect(csv[0]?.endsWith(',confirmations,at_t15,incidents_during,summary')).toBe(true);
      const xaRow = csv.find((l) => l.startsWith(`${XA},`)) ?? '';
      expect(xaRow).toContain(
        `not-checked,${line}=su_co_duong_truyen/major/none@${at(T0 - 20 * MIN)} ${lost}=mat_ket_noi/critical/postponed@${at(T0 + HOUR)},`,
      );
      expect(xaRow).toContain(`,"'=UBND xã <b>Quang</b>: đến T−15 chưa kiểm tra`);
      // The summary cell (the last) carries no control character.
      expect(xaRow.slice(xaRow.indexOf(`,"'=UBND`))).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
      const html = renderMeeting(after.body, 'html', ro);
      expect(html).toContain('<section id="summary">');
      expect(html).toContain('<th>Sự cố trong cuộc họp</th>');
      expect(html).toContain('=UBND xã &#60;b&#62;Quang&#60;/b&#62;: đến T−15 chưa kiểm tra');
      expect(html).not.toContain('<b>Quang</b>');
      const json = JSON.parse(renderMeeting(after.body, 'json', ro)) as MeetingReadiness;
      expect(json.during?.postponed).toBe(1);

      // report meetings: the counts of the snapshot, what happened during from now.
      const snapRow = {
        readiness: { ...snap, meeting: after.body.meeting, during: after.body.during, line: after.body.line },
      };
      const list = renderMeetings([snapRow], at(T0 - 30 * 24 * HOUR), 'table', ro);
      expect(list.split('\n').every((l) => width(l) <= 80)).toBe(true);
      expect(list).toMatch(/1\/2\s+1\/2\s+3\s+1 hoãn/);
      const listCsv = renderMeetings([snapRow], at(T0), 'csv', ro).split(/\r?\n/);
      expect(listCsv[0]).toBe(
        'id,title,kind,status,start,end,bridge,sites,ready,not_ready,not_checked,with_incidents,from_snapshot,ready_at_t15,connected,incidents_during,postponed,cancelled,rescheduled,summary',
      );
      expect(listCsv[1]).toContain(',true,1,1,3,1,0,0,"Kỳ họp HĐND tỉnh (');
      const listJson = JSON.parse(renderMeetings([snapRow], at(T0), 'json', ro));
      expect(listJson.meetings[0]).toMatchObject({
        counts: { sites: 2, ready: 1 },
        snapshot: true,
        during: { incidents: 3, postponed: 1, connected: 1 },
        line: { en: after.body.line?.en },
      });
      const listHtml = renderMeetings([snapRow], at(T0), 'html', ro, at(T1 + 2 * HOUR));
      expect(listHtml).toContain('<table id="meetings-list">');
      expect(listHtml).toContain('1 hoãn');
    } finally {
      await t.app.close();
    }
  });
}

describe('after the meeting on SQLite', () => {
  storeSuite('sqlite', () => openSqlite(':memory:'));
  routeSuite('sqlite', () => openSqlite(':memory:'));
});

describe.skipIf(!havePeer(INITDB, 'apt install postgresql'))('after the meeting on PostgreSQL', () => {
  let pg: TestPostgres | undefined;
  let n = 0;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(() => pg?.stop());
  const fresh = async () => openPostgres(await freshDatabase((pg as TestPostgres).url, `after_${++n}`));
  storeSuite('postgres', fresh);
  routeSuite('postgres', fresh);
});
