/**
 * Readiness per meeting joined with the meeting-day uploads (docs/meetings.md),
 * on SQLite and a real PostgreSQL: from T0 whether each site is connected to
 * the meeting's bridge and for how long (call states), who confirmed what
 * (the confirm checks of the run made for the meeting, check --meeting), and
 * that run preferred as "the last check"; then `report meeting` shows them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import type { Meeting, MeetingReadiness } from '../../src/model/meeting.js';
import type { RunInput } from '../../src/model/run.js';
import { openPostgres } from '../../src/registry/store/postgres.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import type { Store } from '../../src/registry/store/types.js';
import { renderMeeting } from '../../src/report/fleet/meeting.js';
import { havePeer } from '../helpers/peers.js';
import { bearer, post, runBody } from './fixtures.js';
import { at, meetingApp, meetingBody } from './meetings-fixtures.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';

const MIN = 60_000;
const UBND = 'th-bimson-ubnd';
const XA = 'th-bimson-xa';

const confirmCheck = (id: string, status: 'pass' | 'fail', by: string, atIso: string, question: string) => ({
  id,
  kind: 'confirm',
  status,
  required: true,
  summary: question,
  metrics: {},
  details: { question, answer: status === 'pass' ? 'yes' : 'no', at: atIso, by },
  startedAt: atIso,
  durationMs: 1000,
  attempts: 1,
});

function suite(name: string, open: () => Promise<Store>) {
  it(`joins roll call, confirmations and the run made for the meeting on ${name}`, async () => {
    const t = await meetingApp(await open());
    try {
      const inject = (
        method: 'GET' | 'POST',
        url: string,
        headers: Record<string, string>,
        payload?: unknown,
      ) =>
        t.app.inject({
          method,
          url,
          headers,
          ...(payload !== undefined ? { payload: payload as object } : {}),
        });
      const made = await inject('POST', '/v1/meetings', post(t.tokens.coord), meetingBody());
      expect(made.statusCode, made.body).toBe(201);
      const m = made.json() as Meeting;
      const startMs = Date.parse(m.start);
      const upload = async (body: RunInput) => {
        t.now.ms = Date.parse(body.startedAt) + 5000;
        const r = await inject('POST', '/v1/runs', post(t.tokens.admin), body);
        expect(r.statusCode, r.body).toBe(201);
        return (r.json() as { id: number }).id;
      };
      // UBND: the run made for the meeting at T−40 with two confirmations, then an untagged one at T−10.
      const tagged = await upload(
        runBody({
          verdict: 'ready',
          startedAt: at(startMs - 40 * MIN),
          meeting: String(m.id),
          checks: [
            confirmCheck(
              'maket',
              'pass',
              'Lê Văn Hùng',
              at(startMs - 39 * MIN),
              'Maket đã đúng tên cuộc họp?',
            ),
            confirmCheck('ghi-hinh', 'fail', 'Lê Văn Hùng', at(startMs - 38 * MIN), 'Đã bật ghi hình?'),
          ],
        }),
      );
      await upload(runBody({ verdict: 'not-ready', startedAt: at(startMs - 10 * MIN) }));
      // A run made for another meeting is not this one's.
      await upload(
        runBody({
          siteId: XA,
          unit: 'thanh-hoa/bim-son/xa',
          startedAt: at(startMs - 30 * MIN),
          meeting: '999',
        }),
      );

      const readiness = async (nowMs: number) => {
        t.now.ms = nowMs;
        const r = await inject('GET', `/v1/meetings/${m.id}/readiness`, bearer(t.tokens.viewer));
        expect(r.statusCode, r.body).toBe(200);
        const body = r.json() as MeetingReadiness;
        return { body, by: Object.fromEntries(body.sites.map((s) => [s.id, s])) };
      };
      const before = await readiness(startMs - 5 * MIN);
      expect(before.by[UBND]).toMatchObject({
        state: 'ready',
        lastRun: { id: tagged, tagged: true, inWindow: true, verdict: 'ready' },
        connected: null,
        confirmations: [
          {
            id: 'maket',
            status: 'pass',
            by: 'Lê Văn Hùng',
            at: at(startMs - 39 * MIN),
            question: 'Maket đã đúng tên cuộc họp?',
          },
          { id: 'ghi-hinh', status: 'fail', by: 'Lê Văn Hùng', at: at(startMs - 38 * MIN) },
        ],
      });
      expect(before.by[XA]).toMatchObject({ state: 'not-ready', confirmations: [] });
      expect(before.by[XA]?.lastRun?.tagged).toBeUndefined();

      // Roll call: UBND on the bridge (another spelling of its URI) from T−2 to T+20; XA on another bridge.
      const state = async (site: string, atMs: number, s: string, remote?: string) => {
        const r = await inject('POST', `/v1/sites/${site}/call-states`, post(t.tokens.admin), {
          at: at(atMs),
          state: s,
          ...(remote ? { remote } : {}),
        });
        expect(r.statusCode, r.body).toBe(201);
      };
      await state(UBND, startMs - 2 * MIN, 'connected', 'sip:8001@MCU.thanhhoa.gov.vn:5061;transport=tls');
      await state(UBND, startMs + 20 * MIN, 'disconnected');
      await state(XA, startMs - 1 * MIN, 'connected', 'sip:8002@mcu.thanhhoa.gov.vn');
      const during = await readiness(startMs + 15 * MIN);
      expect(during.by[UBND]?.connected).toEqual({
        since: at(startMs - 2 * MIN),
        state: 'connected',
        minutes: 15,
      });
      expect(during.by[XA]?.connected).toEqual({ since: null, state: 'not-connected', minutes: 0 });
      const after = await readiness(startMs + 30 * MIN);
      expect(after.by[UBND]?.connected).toEqual({ since: null, state: 'not-connected', minutes: 20 });

      const ro = {
        t: translator('en'),
        locale: 'en' as const,
        color: false,
        tty: false,
        columns: Number.POSITIVE_INFINITY,
        timeZone: 'Asia/Ho_Chi_Minh',
      };
      const table = renderMeeting(during.body, 'table', ro);
      // T0 is 4 days after NOW; times in Vietnam (UTC+7).
      const hhmm = (ms: number) =>
        new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Asia/Ho_Chi_Minh',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }).format(ms);
      expect(table).toContain(`connected to the bridge since ${hhmm(startMs - 2 * MIN)}, 15 min`);
      expect(table).toContain('not connected');
      expect(table).toContain(`Maket đã đúng tên cuộc họp?: yes (Lê Văn Hùng ${hhmm(startMs - 39 * MIN)})`);
      expect(table).toContain('(for this meeting)');
      const vi = renderMeeting(during.body, 'table', { ...ro, t: translator('vi'), locale: 'vi' });
      expect(vi).toContain(`đã vào cầu từ ${hhmm(startMs - 2 * MIN)}, 15 phút`);
      expect(vi).toContain('Đã bật ghi hình?: không đạt');
      const csv = renderMeeting(during.body, 'csv', ro).split(/\r?\n/);
      const ubndRow = csv.find((l) => l.startsWith(`${UBND},`));
      expect(ubndRow).toContain(
        `connected,${at(startMs - 2 * MIN)},15,maket=pass@Lê Văn Hùng ghi-hinh=fail@Lê Văn Hùng`,
      );
      const html = renderMeeting(during.body, 'html', ro);
      expect(html).toContain('<th>Bridge (from T0)</th>');
      expect(html).toContain('<th>Confirmed on site</th>');
      const json = JSON.parse(renderMeeting(during.body, 'json', ro)) as MeetingReadiness;
      expect(json.sites.find((s) => s.id === UBND)?.connected?.minutes).toBe(15);
    } finally {
      await t.app.close();
    }
  });
}

describe('readiness per meeting with the meeting-day uploads', () => {
  suite('sqlite', () => openSqlite(':memory:'));
});

describe.skipIf(!havePeer(INITDB, 'apt install postgresql'))('readiness per meeting on postgres', () => {
  let pg: TestPostgres | undefined;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(() => pg?.stop());
  suite('postgres', async () => openPostgres(await freshDatabase((pg as TestPostgres).url, 'join_1')));
});
