/**
 * Times and durations are bounded on the way in, and a row stored before they
 * were (or written by hand) never fails a whole report: it is left out and logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Readiness } from '../../src/model/report.js';
import type { RunList } from '../../src/model/run.js';
import { openPostgres } from '../../src/registry/store/postgres.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import type { Store } from '../../src/registry/store/types.js';
import { havePeer } from '../helpers/peers.js';
import { bearer, incidentBody, post, runBody, testApp } from './fixtures.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';

describe('times on the way in', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a duration of 275 years', { durationMs: 8_700_000_000_000_000 }, 'durationMs'],
    ['a day that does not exist', { startedAt: '2026-02-30T01:00:00Z' }, 'startedAt'],
    ['hour 24', { startedAt: '2026-11-24T24:00:00Z' }, 'startedAt'],
    ['minute 60', { startedAt: '2026-11-24T10:60:00+07:00' }, 'startedAt'],
    ['an offset of +25:00', { startedAt: '2026-11-24T10:00:00+25:00' }, 'startedAt'],
    ['a clock never set (1970)', { startedAt: '1970-01-01T00:00:05Z' }, 'startedAt'],
  ];
  for (const [what, over, field] of cases) {
    it(`POST /v1/runs refuses ${what} (400 ${field})`, async () => {
      const t = await testApp();
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/runs',
        headers: post(t.tokens.tech),
        payload: { ...runBody(), ...over },
      });
      expect(r.statusCode).toBe(400);
      expect(r.json().error).toMatchObject({ code: 'bad_request', field });
      await t.app.close();
    });
  }

  it('refuses a check lasting longer than a day, an impossible occurredAt and since', async () => {
    const t = await testApp();
    const body = runBody();
    (body.checks[0] as { durationMs: number }).durationMs = 86_400_001;
    const r1 = await t.app.inject({
      method: 'POST',
      url: '/v1/runs',
      headers: post(t.tokens.tech),
      payload: body,
    });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.field).toBe('checks[0].durationMs');
    const r2 = await t.app.inject({
      method: 'POST',
      url: '/v1/incidents',
      headers: post(t.tokens.tech),
      payload: incidentBody({ occurredAt: '2026-04-31T08:00:00+07:00' }),
    });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error.field).toBe('occurredAt');
    const r3 = await t.app.inject({
      method: 'GET',
      url: '/v1/reports/readiness?since=2026-02-29T00:00:00Z',
      headers: bearer(t.tokens.admin),
    });
    expect(r3.statusCode).toBe(400);
    // Leap days and a day's last second are real.
    const ok = await t.app.inject({
      method: 'POST',
      url: '/v1/runs',
      headers: post(t.tokens.tech),
      payload: { ...runBody(), startedAt: '2024-02-29T23:59:59.999+07:00', durationMs: 86_400_000 },
    });
    expect(ok.statusCode).toBe(201);
    await t.app.close();
  });
});

const T0 = Date.parse('2026-11-25T00:00:00Z');

function badRowSuite(engine: string, open: () => Promise<Store>) {
  describe(`a bad stored row (${engine})`, () => {
    it('readiness answers 200 for every token; the site counts as not reported; lists leave the row out', async () => {
      const store = await open();
      const t = await testApp(store);
      const bad: string[] = [];
      const logged = store.onBadRow;
      store.onBadRow = (what, id, err) => {
        bad.push(`${what} ${String(id)}`);
        logged?.(what, id, err);
      };
      const good = await t.app.inject({
        method: 'POST',
        url: '/v1/runs',
        headers: post(t.tokens.tech),
        payload: runBody({ siteId: 'th-good', unit: 'thanh-hoa/bim-son/ubnd' }),
      });
      expect(good.statusCode).toBe(201);
      // What the unbounded registry accepted: a finish time no Date can hold, then a start time too.
      // (PostgreSQL's duration column is an integer, so there the finish time alone is out of range.)
      const row = (over: { startedMs?: number; finishedMs?: number }) => {
        const startedMs = over.startedMs ?? T0;
        const durationMs = 1000;
        return {
          siteId: 'th-bimson-ubnd',
          siteName: 'Bỉm Sơn',
          unit: 'thanh-hoa/bim-son/ubnd',
          verdict: 'ready' as const,
          startedMs,
          finishedMs: over.finishedMs ?? startedMs + durationMs,
          durationMs,
          receivedMs: T0,
          failing: [],
          body: JSON.stringify({ checks: [] }),
        };
      };
      const k = (key: string) => ({ key, fingerprint: key });
      expect((await store.ingestRun(row({ finishedMs: T0 + 8_700_000_000_000_000 }), k('bad-1'))).kind).toBe(
        'created',
      );
      const r = await t.app.inject({
        method: 'GET',
        url: '/v1/reports/readiness',
        headers: bearer(t.tokens.admin),
      });
      expect(r.statusCode).toBe(200);
      const rep = r.json() as Readiness;
      expect(rep.sites.map((s) => [s.id, s.verdict, s.stale])).toEqual([
        ['th-bimson-ubnd', null, true],
        ['th-good', 'not-ready', false],
      ]);
      const tech = await t.app.inject({
        method: 'GET',
        url: '/v1/reports/readiness',
        headers: bearer(t.tokens.tech),
      });
      expect(tech.statusCode).toBe(200);

      const started = await store.ingestRun(row({ startedMs: 9e15 }), k('bad-2'));
      expect(started.kind).toBe('created');
      const id = started.kind === 'created' ? started.value.id : 0;
      const list = await t.app.inject({
        method: 'GET',
        url: '/v1/runs?site=th-bimson-ubnd',
        headers: bearer(t.tokens.admin),
      });
      expect(list.statusCode).toBe(200);
      expect((list.json() as RunList).items).toHaveLength(1);
      const one = await t.app.inject({
        method: 'GET',
        url: `/v1/runs/${id}`,
        headers: bearer(t.tokens.admin),
      });
      expect(one.statusCode).toBe(404);
      expect(bad).toEqual([`run ${id}`, `run ${id}`]);
      await t.app.close();
    });
  });
}

badRowSuite('sqlite', () => openSqlite(':memory:'));

describe.skipIf(!havePeer(INITDB, 'apt install postgresql'))('postgres', () => {
  let pg: TestPostgres | undefined;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(() => pg?.stop());
  badRowSuite('postgres', async () =>
    openPostgres(await freshDatabase((pg as TestPostgres).url, 'times_bad')),
  );
});
