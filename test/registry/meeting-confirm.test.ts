/**
 * A meeting's own confirm items (docs/meetings.md#the-meetings-own-confirm-items)
 * on SQLite and a real PostgreSQL: booked with the meeting, validated (bounded,
 * unique ids, one-line 400s), changed by PATCH with the change in the history,
 * and in the readiness per site: confirmed / not confirmed / skipped / not
 * asked, by whom and when, from the runs made for the meeting; then
 * `report meeting` in every format.
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
import { at, hanoiHhmm as hhmm, meetingApp, meetingBody } from './meetings-fixtures.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';

const MIN = 60_000;
const UBND = 'th-bimson-ubnd';
const XA = 'th-bimson-xa';
const MAKET = 'Maket đã treo đúng nội dung: «Kỳ họp thứ 12 HĐND tỉnh khóa XV»?';
const ITEMS = [
  { id: 'maket', question: MAKET },
  { id: 'den', question: 'Đèn sân khấu đã bật?', required: false },
];

type Answer = 'pass' | 'fail' | 'skip';
const confirmCheck = (id: string, status: Answer, atIso: string, extra: Record<string, unknown> = {}) => ({
  id,
  kind: 'confirm',
  status,
  required: true,
  summary: id,
  metrics: {},
  details: {
    question: id,
    ...(status === 'skip' ? {} : { answer: status === 'pass' ? 'yes' : 'no', at: atIso }),
    ...extra,
  },
  ...(status === 'skip' ? { error: { code: 'NEEDS_PERSON', message: 'needs a person' } } : {}),
  startedAt: atIso,
  durationMs: 1000,
  attempts: 1,
});

function suite(name: string, open: () => Promise<Store>) {
  it(`books, validates, changes and reports a meeting's own confirm items on ${name}`, async () => {
    const t = await meetingApp(await open());
    try {
      const inject = (
        method: 'GET' | 'POST' | 'PATCH',
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
      // Bounded and validated like the rest: one-line 400s naming the field.
      const bad = async (confirm: unknown, field: string) => {
        const r = await inject('POST', '/v1/meetings', post(t.tokens.coord), { ...meetingBody(), confirm });
        expect(r.statusCode, r.body).toBe(400);
        expect((r.json() as { error: { field: string } }).error.field, r.body).toBe(field);
      };
      await bad([{ id: 'maket', question: '' }], 'confirm[0].question');
      await bad([{ id: 'Maket!', question: 'x' }], 'confirm[0].id');
      await bad([{ id: 'maket', question: 'x'.repeat(501) }], 'confirm[0].question');
      await bad(
        Array.from({ length: 21 }, (_, i) => ({ id: `c${i}`, question: 'x' })),
        'confirm',
      );
      await bad([{ id: 'maket', question: 'x', extra: 1 }], 'confirm[0].extra');
      await bad(
        [
          { id: 'maket', question: 'a' },
          { id: 'maket', question: 'b' },
        ],
        'confirm[1].id',
      );

      const made = await inject('POST', '/v1/meetings', post(t.tokens.coord), {
        ...meetingBody(),
        confirm: ITEMS,
      });
      expect(made.statusCode, made.body).toBe(201);
      const m = made.json() as Meeting;
      expect(m.confirm).toEqual(ITEMS);
      // Read back from the store (a fresh read, not the answer of the write).
      const read = (await inject('GET', `/v1/meetings/${m.id}`, bearer(t.tokens.tech))).json() as Meeting;
      expect(read.confirm).toEqual(ITEMS);
      const plain = (
        await inject('POST', '/v1/meetings', post(t.tokens.coord), meetingBody({ bridge: 'tinh-2' }))
      ).json() as Meeting;
      expect(plain.confirm).toBeUndefined();

      // PATCH replaces the list; the history says what it was and what it became.
      const changed = await inject('PATCH', `/v1/meetings/${m.id}`, post(t.tokens.coord), {
        confirm: [ITEMS[0]],
      });
      expect(changed.statusCode, changed.body).toBe(200);
      const c1 = changed.json() as Meeting;
      expect(c1.confirm).toEqual([ITEMS[0]]);
      expect(c1.history.at(-1)).toMatchObject({
        action: 'updated',
        by: 'vp-ubnd-tinh',
        changes: { confirm: { from: ITEMS, to: [ITEMS[0]] } },
      });
      const cleared = (
        await inject('PATCH', `/v1/meetings/${m.id}`, post(t.tokens.coord), { confirm: null })
      ).json() as Meeting;
      expect(cleared.confirm).toBeUndefined();
      expect(cleared.history.at(-1)?.changes).toEqual({ confirm: { from: [ITEMS[0]], to: null } });
      const back = (
        await inject('PATCH', `/v1/meetings/${m.id}`, post(t.tokens.coord), { confirm: ITEMS })
      ).json() as Meeting;
      expect(back.confirm).toEqual(ITEMS);
      // Another edit leaves them as they are, and the history does not name them.
      const titled = (
        await inject('PATCH', `/v1/meetings/${m.id}`, post(t.tokens.coord), { title: 'Kỳ họp thứ 12' })
      ).json() as Meeting;
      expect(titled.confirm).toEqual(ITEMS);
      expect(Object.keys(titled.history.at(-1)?.changes ?? {})).toEqual(['title']);

      const startMs = Date.parse(m.start);
      const upload = async (body: RunInput) => {
        t.now.ms = Date.parse(body.startedAt) + 5000;
        const r = await inject('POST', '/v1/runs', post(t.tokens.admin), body);
        expect(r.statusCode, r.body).toBe(201);
        return (r.json() as { id: number }).id;
      };
      // UBND: Lê Văn Hùng confirmed the maket at T−40 and said no to the lights; then a piped run
      // for the meeting at T−10 skipped both: the answers stand.
      const answered = await upload(
        runBody({
          verdict: 'ready',
          startedAt: at(startMs - 40 * MIN),
          meeting: String(m.id),
          checks: [
            confirmCheck('meeting-confirm-maket', 'pass', at(startMs - 39 * MIN), { by: 'Lê Văn Hùng' }),
            confirmCheck('meeting-confirm-den', 'fail', at(startMs - 38 * MIN), {
              by: 'Lê Văn Hùng',
              note: 'Hỏng một bóng',
            }),
            confirmCheck('maket-rieng', 'pass', at(startMs - 38 * MIN), { by: 'Lê Văn Hùng' }),
          ],
        }),
      );
      await upload(
        runBody({
          verdict: 'ready',
          startedAt: at(startMs - 10 * MIN),
          meeting: String(m.id),
          checks: [
            confirmCheck('meeting-confirm-maket', 'skip', at(startMs - 10 * MIN)),
            confirmCheck('meeting-confirm-den', 'skip', at(startMs - 10 * MIN)),
          ],
        }),
      );
      // Xã: only a sweep that skipped the maket; the lights were never asked.
      const swept = await upload(
        runBody({
          siteId: XA,
          unit: 'thanh-hoa/bim-son/xa',
          startedAt: at(startMs - 30 * MIN),
          meeting: String(m.id),
          checks: [confirmCheck('meeting-confirm-maket', 'skip', at(startMs - 30 * MIN))],
        }),
      );

      t.now.ms = startMs - 5 * MIN;
      const r = await inject('GET', `/v1/meetings/${m.id}/readiness`, bearer(t.tokens.viewer));
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json() as MeetingReadiness;
      const by = Object.fromEntries(body.sites.map((s) => [s.id, s]));
      expect(by[UBND]?.meetingConfirm).toEqual([
        {
          id: 'maket',
          question: MAKET,
          required: true,
          answer: 'confirmed',
          by: 'Lê Văn Hùng',
          at: at(startMs - 39 * MIN),
          runId: answered,
        },
        {
          id: 'den',
          question: 'Đèn sân khấu đã bật?',
          required: false,
          answer: 'not-confirmed',
          by: 'Lê Văn Hùng',
          at: at(startMs - 38 * MIN),
          note: 'Hỏng một bóng',
          runId: answered,
        },
      ]);
      // The profile's own confirm checks stay in `confirmations`, the meeting's are not repeated there.
      expect(by[UBND]?.confirmations).toEqual([]);
      expect(by[XA]?.meetingConfirm).toEqual([
        {
          id: 'maket',
          question: MAKET,
          required: true,
          answer: 'skipped',
          by: null,
          at: at(startMs - 30 * MIN),
          runId: swept,
        },
        {
          id: 'den',
          question: 'Đèn sân khấu đã bật?',
          required: false,
          answer: 'not-asked',
          by: null,
          at: null,
        },
      ]);
      // A meeting without items has no such field.
      t.now.ms = startMs - 5 * MIN;
      const none = (
        await inject('GET', `/v1/meetings/${plain.id}/readiness`, bearer(t.tokens.viewer))
      ).json() as MeetingReadiness;
      expect(none.sites.every((s) => s.meetingConfirm === undefined)).toBe(true);

      const ro = {
        t: translator('en'),
        locale: 'en' as const,
        color: false,
        tty: false,
        timeZone: 'Asia/Ho_Chi_Minh',
        columns: Number.POSITIVE_INFINITY,
      };
      const vi = renderMeeting(body, 'table', { ...ro, t: translator('vi'), locale: 'vi' });
      expect(vi).toContain('Câu hỏi xác nhận của cuộc họp: 1/2 điểm cầu đã xác nhận đủ các câu bắt buộc');
      expect(vi).toContain(`  [1] ${MAKET}`);
      expect(vi).toContain('  [2] Đèn sân khấu đã bật? (khuyến nghị)');
      expect(vi).toContain(`[1] đã xác nhận (Lê Văn Hùng ${hhmm(startMs - 39 * MIN)})`);
      expect(vi).toContain(`[2] chưa đạt: Hỏng một bóng (Lê Văn Hùng ${hhmm(startMs - 38 * MIN)})`);
      expect(vi).toContain(`[1] chưa hỏi (cần người tại điểm cầu) (${hhmm(startMs - 30 * MIN)})`);
      expect(vi).toContain('[2] chưa kiểm tra');
      expect(vi).toContain('Xác nhận tại điểm cầu');
      const en = renderMeeting(body, 'table', ro);
      expect(en).toContain("The meeting's own questions: 1/2 sites confirmed every required one");
      expect(en).toContain(`[1] confirmed (Lê Văn Hùng ${hhmm(startMs - 39 * MIN)})`);
      const csv = renderMeeting(body, 'csv', ro).split(/\r?\n/);
      expect(csv[0]?.endsWith(',confirmations,meeting_confirm')).toBe(true);
      expect(csv.find((l) => l.startsWith(`${UBND},`))).toContain(
        `maket=confirmed@Lê Văn Hùng@${at(startMs - 39 * MIN)} den=not-confirmed@Lê Văn Hùng@${at(startMs - 38 * MIN)}`,
      );
      expect(csv.find((l) => l.startsWith(`${XA},`))).toContain(
        `maket=skipped@${at(startMs - 30 * MIN)} den=not-asked`,
      );
      const html = renderMeeting(body, 'html', ro);
      expect(html).toContain('<th>Confirmed on site</th>');
      expect(html).toContain('[2] not checked yet');
      expect(html).toContain('Maket đã treo đúng nội dung: «Kỳ họp thứ 12 HĐND tỉnh khóa XV»?');
      const json = JSON.parse(renderMeeting(body, 'json', ro)) as MeetingReadiness;
      expect(json.sites.find((s) => s.id === UBND)?.meetingConfirm?.[0]?.answer).toBe('confirmed');
      // Without items the CSV keeps its columns as they were.
      const plainCsv = renderMeeting(none, 'csv', ro).split(/\r?\n/)[0];
      expect(plainCsv?.endsWith(',minutes_connected,confirmations')).toBe(true);
    } finally {
      await t.app.close();
    }
  });
}

describe("a meeting's own confirm items", () => {
  suite('sqlite', () => openSqlite(':memory:'));
});

describe.skipIf(!havePeer(INITDB, 'apt install postgresql'))(
  "a meeting's own confirm items on postgres",
  () => {
    let pg: TestPostgres | undefined;
    beforeAll(async () => {
      pg = await startPostgres();
    }, 60_000);
    afterAll(() => pg?.stop());
    suite('postgres', async () => openPostgres(await freshDatabase((pg as TestPostgres).url, 'confirm_1')));
  },
);
