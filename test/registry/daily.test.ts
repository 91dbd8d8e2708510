/** GET /v1/reports/daily through app.inject: worst of each day in the asked offset, scope, bad queries. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Daily } from '../../src/model/report.js';
import type { RunInput } from '../../src/model/run.js';
import { dayWindow, parseOffset } from '../../src/registry/routes/daily.js';
import { bearer, NOW, post, runBody, type TestApp, testApp } from './fixtures.js';

// NOW is 2026-11-25T02:00Z, 09:00 in Vietnam; there the 25th began at 2026-11-24T17:00Z.
let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  await t.app.close();
});

const get = (url: string, token: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });

async function up(siteId: string, unit: string, verdict: RunInput['verdict'], startedAt: string) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/v1/runs',
    headers: post(t.tokens.admin),
    payload: { ...runBody({ siteId, unit, verdict, startedAt }), durationMs: 60_000 },
  });
  expect(r.statusCode, r.body).toBe(201);
}

async function seed(): Promise<void> {
  const a = ['a-xa', 'thanh-hoa/bim-son/a'] as const;
  await up(...a, 'not-ready', '2026-11-22T16:59:59.000Z'); // 22nd 23:59:59 in +07:00: before the window
  await up(...a, 'unknown', '2026-11-22T17:00:00.000Z'); // 23rd 00:00 in +07:00
  await up(...a, 'degraded', '2026-11-23T05:00:00.000Z');
  await up(...a, 'ready', '2026-11-24T03:00:00.000Z');
  // Started 23:59:59 on the 24th, finished on the 25th: the day of the start counts.
  await up(...a, 'not-ready', '2026-11-24T16:59:59.000Z');
  await up(...a, 'ready', '2026-11-24T17:00:00.000Z'); // 25th 00:00 in +07:00
  await up(...a, 'degraded', '2026-11-25T01:00:00.000Z');
  await up('b-xa', 'thanh-hoa/bim-son/b', 'ready', '2026-11-25T01:30:00.000Z');
  await up('c-xa', 'thanh-hoa/bim-son-2/c', 'not-ready', '2026-11-25T01:30:00.000Z');
  await up('n-xa', 'nghe-an/n', 'not-ready', '2026-11-25T01:30:00.000Z');
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/sites/d-never',
    headers: bearer(t.tokens.admin),
    payload: { name: 'D', unit: 'thanh-hoa/bim-son/d' },
  });
  expect(put.statusCode).toBe(201);
}

describe('GET /v1/reports/daily', () => {
  it('per site and day in +07:00 (the default), the worst verdict; null on days without runs', async () => {
    await seed();
    const r = await get('/v1/reports/daily?days=3', t.tokens.viewer);
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json() as Daily;
    expect(d).toMatchObject({
      generatedAt: new Date(NOW).toISOString(),
      unit: 'thanh-hoa/bim-son',
      tz: '+07:00',
      days: ['2026-11-23', '2026-11-24', '2026-11-25'],
    });
    expect(d.sites).toEqual([
      { id: 'a-xa', verdicts: ['unknown', 'not-ready', 'degraded'] },
      { id: 'b-xa', verdicts: [null, null, 'ready'] },
      { id: 'd-never', verdicts: [null, null, null] },
    ]);
  });

  it('cuts the days at the asked offset: the same runs in UTC', async () => {
    await seed();
    const d = (await get('/v1/reports/daily?days=3&tz=Z&unit=thanh-hoa/bim-son/a', t.tokens.viewer)).json();
    expect(d.tz).toBe('+00:00');
    expect(d.days).toEqual(['2026-11-23', '2026-11-24', '2026-11-25']);
    // 23rd UTC: degraded (05:00); 24th: ready, not-ready (16:59:59), ready (17:00); 25th: degraded.
    expect(d.sites).toEqual([{ id: 'a-xa', verdicts: ['degraded', 'not-ready', 'degraded'] }]);
    // A '+' left unescaped in the URL arrives as a space and still means +07:00.
    const plus = (
      await get('/v1/reports/daily?days=3&tz=+07:00&unit=thanh-hoa/bim-son/a', t.tokens.viewer)
    ).json();
    expect(plus.tz).toBe('+07:00');
    expect(plus.sites[0].verdicts).toEqual(['unknown', 'not-ready', 'degraded']);
    const west = (
      await get('/v1/reports/daily?days=2&tz=-05:00&unit=thanh-hoa/bim-son/a', t.tokens.viewer)
    ).json();
    // 21:00 on the 24th at -05:00; the 24th began at 2026-11-24T05:00Z.
    expect(west.days).toEqual(['2026-11-23', '2026-11-24']);
    expect(west.sites[0].verdicts).toEqual(['degraded', 'not-ready']);
  });

  it('7 days by default; the token scope like the readiness report', async () => {
    await seed();
    const all = (await get('/v1/reports/daily', t.tokens.admin)).json() as Daily;
    expect(all.days).toHaveLength(7);
    expect(all.days[6]).toBe('2026-11-25');
    expect(all.unit).toBe('');
    // By unit then id, byte order ('-' before '/'), like the readiness report.
    expect(all.sites.map((s) => s.id)).toEqual(['n-xa', 'c-xa', 'a-xa', 'b-xa', 'd-never']);
    const province = (await get('/v1/reports/daily?unit=thanh-hoa', t.tokens.viewerProvince)).json() as Daily;
    expect(province.sites.map((s) => s.id)).toEqual(['c-xa', 'a-xa', 'b-xa', 'd-never']);
    expect(province.sites[0]?.verdicts).toEqual([null, null, null, null, null, null, 'not-ready']);
  });

  it('403 outside the token unit, 401 without a token', async () => {
    await seed();
    for (const unit of ['nghe-an', 'thanh-hoa', 'thanh-hoa/bim-son-2']) {
      const r = await get(`/v1/reports/daily?unit=${unit}`, t.tokens.viewer);
      expect(r.statusCode, unit).toBe(403);
      expect(r.json().error.code).toBe('forbidden');
    }
    expect((await get('/v1/reports/daily?unit=thanh-hoa', t.tokens.techOther)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/v1/reports/daily' })).statusCode).toBe(401);
  });

  it('400 for days outside 1..62, a bad offset, a bad unit or an unknown field', async () => {
    for (const [query, field] of [
      ['days=0', 'days'],
      ['days=63', 'days'],
      ['days=x', 'days'],
      ['tz=7', 'tz'],
      ['tz=%2B7:00', 'tz'],
      ['tz=Asia/Ho_Chi_Minh', 'tz'],
      ['tz=%2B15:00', 'tz'],
      ['unit=a//b', 'unit'],
    ] as const) {
      const r = await get(`/v1/reports/daily?${query}`, t.tokens.admin);
      expect(r.statusCode, query).toBe(400);
      expect(r.json().error.field, query).toBe(field);
    }
    expect((await get('/v1/reports/daily?days=62', t.tokens.admin)).json().days).toHaveLength(62);
    expect((await get('/v1/reports/daily?site=x', t.tokens.admin)).statusCode).toBe(400);
  });
});

describe('day window', () => {
  it('parses offsets and finds where the first day begins', () => {
    expect(parseOffset('+07:00')).toEqual({ ms: 7 * 3_600_000, label: '+07:00' });
    expect(parseOffset(' 05:30')).toEqual({ ms: 5.5 * 3_600_000, label: '+05:30' });
    expect(parseOffset('-03:30')).toEqual({ ms: -3.5 * 3_600_000, label: '-03:30' });
    expect(parseOffset('Z')).toEqual({ ms: 0, label: '+00:00' });
    const w = dayWindow(NOW, 2, 7 * 3_600_000);
    expect(w.days).toEqual(['2026-11-24', '2026-11-25']);
    expect(new Date(w.fromMs).toISOString()).toBe('2026-11-23T17:00:00.000Z');
    // One millisecond before local midnight is still the previous day.
    expect(dayWindow(Date.parse('2026-11-24T16:59:59.999Z'), 1, 7 * 3_600_000).days).toEqual(['2026-11-24']);
    expect(dayWindow(Date.parse('2026-11-24T17:00:00.000Z'), 1, 7 * 3_600_000).days).toEqual(['2026-11-25']);
  });
});
