/** The registry's routes through app.inject: every route, every 400/401/403/404/409 path, replays. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident, IncidentList } from '../../src/model/incident.js';
import type { Readiness } from '../../src/model/report.js';
import type { Run, RunList } from '../../src/model/run.js';
import type { SiteList } from '../../src/model/site.js';
import { hashToken } from '../../src/registry/auth.js';
import { buildApp } from '../../src/registry/server.js';
import { openSqlite, type SqliteStore } from '../../src/registry/store/sqlite.js';
import type { Store } from '../../src/registry/store/types.js';
import { bearer, incidentBody, NOW, newKey, post, runBody, type TestApp, testApp } from './fixtures.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  await t.app.close();
});

const count = (table: string) =>
  ((t.store as SqliteStore).handle.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

const inject = (
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  url: string,
  headers: Record<string, string>,
  payload?: unknown,
) => t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

describe('health and docs', () => {
  it('answers health without a token and checks the store', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/v1/health' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'ok', version: '0.0.0-test', store: { engine: 'sqlite', ok: true } });
  });

  it('says 503 when the store does not answer', async () => {
    const store = await openSqlite(':memory:');
    const broken: Store = Object.assign(Object.create(store), {
      ping: async () => Promise.reject(new Error('disk gone')),
    });
    const app = await buildApp({ store: broken, version: 'x', logLevel: 'silent' });
    const r = await app.inject({ method: 'GET', url: '/v1/health' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({ status: 'fail', store: { ok: false } });
    await app.close();
  });

  it('serves the OpenAPI document with every route', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/alerts/channels/{id}',
      '/v1/alerts/channels/{id}/test',
      '/v1/alerts/config',
      '/v1/alerts/log',
      '/v1/alerts/rules/{id}',
      '/v1/alerts/rules/{id}/test',
      '/v1/health',
      '/v1/incidents',
      '/v1/incidents/{id}',
      '/v1/maintenance',
      '/v1/maintenance/{id}/end',
      '/v1/meetings',
      '/v1/meetings/{id}',
      '/v1/meetings/{id}/ics',
      '/v1/meetings/{id}/readiness',
      '/v1/notice-rules',
      '/v1/reports/daily',
      '/v1/reports/readiness',
      '/v1/runs',
      '/v1/runs/{id}',
      '/v1/runs:batch',
      '/v1/sites',
      '/v1/sites/{id}',
      '/v1/sites/{id}/call-states',
      '/v1/sites/{id}/moves',
      '/v1/sites/{id}/retired',
      '/v1/sites/{id}/unit',
      '/v1/speedtest',
    ]);
    expect(Object.keys(doc.paths['/v1/incidents/{id}'] ?? {}).sort()).toEqual(['get', 'patch']);
    expect(Object.keys(doc.paths['/v1/speedtest'] ?? {}).sort()).toEqual(['get', 'post']);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/v1/nothing?x=1' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /v1/nothing' } });
  });
});

describe('auth', () => {
  it('401 without a token, with a bad one, or with a malformed header', async () => {
    for (const headers of [{}, bearer('dct_nope'), { authorization: 'Basic abc' }]) {
      const r = await inject('POST', '/v1/runs', { ...headers, 'idempotency-key': newKey() }, runBody());
      expect(r.statusCode).toBe(401);
      expect(r.json().error.code).toBe('unauthorized');
    }
    expect(count('runs')).toBe(0);
  });

  it('401 comes before body validation (no parsing for strangers)', async () => {
    const r = await inject('POST', '/v1/runs', {}, { junk: true });
    expect(r.statusCode).toBe(401);
  });

  it('stores tokens only as hashes', async () => {
    const rows = (t.store as SqliteStore).handle.prepare('SELECT hash FROM tokens').all() as Array<{
      hash: string;
    }>;
    expect(rows.map((r) => r.hash)).toContain(hashToken(t.tokens.tech));
    const dump = JSON.stringify((t.store as SqliteStore).handle.prepare('SELECT * FROM tokens').all());
    for (const token of Object.values(t.tokens)) expect(dump).not.toContain(token);
  });
});

describe('POST /v1/runs', () => {
  it('stores a run and answers 201', async () => {
    const r = await inject('POST', '/v1/runs', post(t.tokens.tech), runBody());
    expect(r.statusCode).toBe(201);
    expect(r.json()).toEqual({
      id: 1,
      site: 'th-bimson-ubnd',
      verdict: 'not-ready',
      receivedAt: new Date(NOW).toISOString(),
    });
    expect(count('runs')).toBe(1);
  });

  it('takes limits of diemcau/run@1 (plain numbers) and of @2 (with direction), and gives them back as sent', async () => {
    const shapes = [
      { warn: { rtt_ms: 150 }, fail: { rtt_ms: 400 } },
      { warn: { rtt_ms: { max: 150 } }, fail: { rtt_ms: { max: 400 } } },
    ];
    for (const limits of shapes) {
      const body = runBody();
      body.checks = body.checks.map((c) => ({ ...c, limits }));
      const r = await inject('POST', '/v1/runs', post(t.tokens.tech), body);
      expect(r.statusCode).toBe(201);
      const back = await inject('GET', `/v1/runs/${r.json().id}`, bearer(t.tokens.tech));
      expect((back.json() as Run).checks[0]?.limits).toEqual(limits);
    }
    const bad = runBody();
    bad.checks = bad.checks.map((c) => ({ ...c, limits: { warn: { rtt_ms: { above: 150 } } } as never }));
    expect((await inject('POST', '/v1/runs', post(t.tokens.tech), bad)).statusCode).toBe(400);
  });

  it('a replay returns the first answer and stores nothing twice', async () => {
    const key = newKey();
    const first = await inject('POST', '/v1/runs', post(t.tokens.tech, key), runBody());
    t.now.ms += 60_000;
    const again = await inject('POST', '/v1/runs', post(t.tokens.tech, key), runBody());
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(count('runs')).toBe(1);
  });

  it('concurrent uploads are all committed, and concurrent replays stored once', async () => {
    const keys = Array.from({ length: 60 }, (_, i) => newKey(`c${i}`));
    const all = await Promise.all(
      [...keys, ...keys.slice(0, 20)].map((key, i) =>
        inject(
          'POST',
          '/v1/runs',
          post(t.tokens.tech, key),
          runBody({ siteId: `site-${i % 60}`, unit: 'thanh-hoa/bim-son/x' }),
        ),
      ),
    );
    expect(all.map((r) => r.statusCode)).toEqual(all.map(() => 201));
    expect(count('runs')).toBe(60);
    expect(count('idempotency')).toBe(60);
    expect(new Set(all.slice(60).map((r) => r.json().id))).toEqual(
      new Set(all.slice(0, 20).map((r) => r.json().id)),
    );
  });

  it('409 when the key was used for a different request', async () => {
    const key = newKey();
    await inject('POST', '/v1/runs', post(t.tokens.tech, key), runBody());
    const r = await inject('POST', '/v1/runs', post(t.tokens.tech, key), runBody({ verdict: 'ready' }));
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('idempotency_key_reused');
    expect(count('runs')).toBe(1);
  });

  it('409 when the site is registered under another unit', async () => {
    await inject('POST', '/v1/runs', post(t.tokens.tech), runBody());
    const r = await inject(
      'POST',
      '/v1/runs',
      post(t.tokens.tech),
      runBody({ unit: 'thanh-hoa/bim-son/khac' }),
    );
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toEqual({
      code: 'site_unit_mismatch',
      message:
        'site th-bimson-ubnd is registered under unit thanh-hoa/bim-son/ubnd, not thanh-hoa/bim-son/khac',
      params: { site: 'th-bimson-ubnd', heldBy: 'thanh-hoa/bim-son/ubnd', claimed: 'thanh-hoa/bim-son/khac' },
    });
    expect(count('runs')).toBe(1);
  });

  it('400 without an Idempotency-Key, naming the header', async () => {
    const r = await inject('POST', '/v1/runs', bearer(t.tokens.tech), runBody());
    expect(r.statusCode).toBe(400);
    expect(r.json().error.field).toBe('Idempotency-Key');
  });

  it('403 outside the token unit (no prefix tricks), and for a viewer', async () => {
    for (const [token, unit] of [
      [t.tokens.techOther, 'thanh-hoa/bim-son/ubnd'],
      [t.tokens.tech, 'thanh-hoa/bim-son-2/ubnd'],
      [t.tokens.tech, 'thanh-hoa'],
      [t.tokens.viewer, 'thanh-hoa/bim-son/ubnd'],
    ] as const) {
      const r = await inject('POST', '/v1/runs', post(token), runBody({ unit }));
      expect(r.statusCode, `${unit}`).toBe(403);
      expect(r.json().error.code).toBe('forbidden');
    }
    expect(count('runs')).toBe(0);
  });

  it.each([
    ['durationMs', { durationMs: '5' }, 'durationMs: must be a whole number'],
    ['verdict', { verdict: 'ok' }, 'verdict: must be one of: ready, degraded, not-ready, unknown'],
    [
      'startedAt',
      { startedAt: '25/11/2026 08:00' },
      'startedAt: must be a date-time such as 2025-07-01T07:30:00+07:00',
    ],
    [
      'startedAt',
      { startedAt: '2026-13-45T99:00:00Z' },
      'startedAt: must be a date-time such as 2025-07-01T07:30:00+07:00',
    ],
    [
      'startedAt',
      { startedAt: '2026-12-01T00:00:00Z' },
      'startedAt: is in the future; check the clock of the machine that sent it',
    ],
    ['site.unit', { site: { id: 'a', name: 'A', unit: 'Thanh Hoa' } }, 'site.unit: must match'],
    ['site.id', { site: { name: 'A', unit: 'thanh-hoa' } }, 'site.id: is required'],
    ['checks', { checks: 'none' }, 'checks: must be a list'],
  ])('400 naming %s', async (field, patch, message) => {
    const r = await inject('POST', '/v1/runs', post(t.tokens.admin), { ...runBody(), ...patch });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.field).toBe(field);
    expect(r.json().error.message.startsWith(message)).toBe(true);
    expect(count('runs')).toBe(0);
  });

  it('400 naming a field deep inside a check', async () => {
    const body = runBody();
    (body.checks[1] as { status: string }).status = 'broken';
    const r = await inject('POST', '/v1/runs', post(t.tokens.tech), body);
    expect(r.json().error).toMatchObject({ code: 'bad_request', field: 'checks[1].status' });
    const body2 = runBody();
    (body2.checks[0] as { metrics: Record<string, unknown> }).metrics.rtt_ms = 'fast';
    const r2 = await inject('POST', '/v1/runs', post(t.tokens.tech), body2);
    expect(r2.json().error.field).toBe('checks[0].metrics.rtt_ms');
    expect(count('runs')).toBe(0);
  });

  it('400 for JSON that does not parse, 413 for an oversize body, 415 for another media type', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/runs',
      headers: { ...post(t.tokens.tech), 'content-type': 'application/json' },
      payload: '{"site": ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toEqual({ code: 'bad_request', message: 'body: not valid JSON', field: 'body' });
    const huge = runBody();
    huge.checks[0] = { ...(huge.checks[0] as RunBodyCheck), summary: 'x'.repeat(3000) };
    huge.checks = Array.from({ length: 400 }, () => huge.checks[0] as RunBodyCheck);
    const big = await inject('POST', '/v1/runs', post(t.tokens.tech), huge);
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('body_too_large');
    const text = await t.app.inject({
      method: 'POST',
      url: '/v1/runs',
      headers: { ...post(t.tokens.tech), 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    expect(count('runs')).toBe(0);
  });

  it('keeps stored runs lean: no local file path, big evidence replaced by its size, unknown fields dropped', async () => {
    const body = runBody();
    (body.checks[0] as RunBodyCheck).details = { samples: Array.from({ length: 500 }, (_, i) => i * 1.5) };
    (body.checks[1] as RunBodyCheck).details = { reply: 'RST' };
    (body.checks[1] as Record<string, unknown>).futureField = 1;
    const r = await inject('POST', '/v1/runs', post(t.tokens.tech), body);
    const run = (await inject('GET', `/v1/runs/${r.json().id}`, bearer(t.tokens.tech))).json() as Run;
    expect(JSON.stringify(run)).not.toContain('/home/ktv');
    expect(run.checks[0]?.details).toEqual({ truncated: true, bytes: expect.any(Number) });
    expect(run.checks[1]?.details).toEqual({ reply: 'RST' });
    expect(run.checks[1]).not.toHaveProperty('futureField');
    expect(run.failing).toEqual(['sip-port']);
  });
});

type RunBodyCheck = ReturnType<typeof runBody>['checks'][number];

describe('GET /v1/runs', () => {
  it('lists a site newest first with a cursor, and reads one run', async () => {
    for (let i = 0; i < 5; i++) {
      await inject(
        'POST',
        '/v1/runs',
        post(t.tokens.tech),
        runBody({ startedAt: new Date(NOW - (5 - i) * 3_600_000).toISOString() }),
      );
    }
    const page1 = (
      await inject('GET', '/v1/runs?site=th-bimson-ubnd&limit=3', bearer(t.tokens.viewer))
    ).json() as RunList;
    expect(page1.items.map((r) => r.id)).toEqual([5, 4, 3]);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = (
      await inject(
        'GET',
        `/v1/runs?site=th-bimson-ubnd&limit=3&cursor=${page1.nextCursor}`,
        bearer(t.tokens.viewer),
      )
    ).json() as RunList;
    expect(page2.items.map((r) => r.id)).toEqual([2, 1]);
    expect(page2.nextCursor).toBeNull();
    const one = await inject('GET', '/v1/runs/3', bearer(t.tokens.viewerProvince));
    expect(one.statusCode).toBe(200);
    expect((one.json() as Run).site).toEqual({
      id: 'th-bimson-ubnd',
      name: 'Site th-bimson-ubnd',
      unit: 'thanh-hoa/bim-son/ubnd',
    });
  });

  it('400 bad cursor / limit / id, 403 out of scope, 404 unknown', async () => {
    await inject('POST', '/v1/runs', post(t.tokens.tech), runBody());
    expect(
      (await inject('GET', '/v1/runs?site=th-bimson-ubnd&cursor=zzz!', bearer(t.tokens.tech))).json().error
        .field,
    ).toBe('cursor');
    expect(
      (await inject('GET', '/v1/runs?site=th-bimson-ubnd&cursor=YWJj', bearer(t.tokens.tech))).json().error
        .field,
    ).toBe('cursor');
    expect(
      (await inject('GET', '/v1/runs?site=th-bimson-ubnd&limit=0', bearer(t.tokens.tech))).json().error.field,
    ).toBe('limit');
    expect((await inject('GET', '/v1/runs', bearer(t.tokens.tech))).json().error.field).toBe('site');
    expect((await inject('GET', '/v1/runs/abc', bearer(t.tokens.tech))).json().error.field).toBe('id');
    expect((await inject('GET', '/v1/runs?site=th-bimson-ubnd', bearer(t.tokens.techOther))).statusCode).toBe(
      403,
    );
    expect((await inject('GET', '/v1/runs/1', bearer(t.tokens.techOther))).statusCode).toBe(403);
    expect((await inject('GET', '/v1/runs?site=nowhere', bearer(t.tokens.admin))).statusCode).toBe(404);
    expect((await inject('GET', '/v1/runs/99', bearer(t.tokens.admin))).statusCode).toBe(404);
  });
});

describe('incidents', () => {
  const file = async (over = {}, token = t.tokens.tech, key = newKey()) =>
    inject('POST', '/v1/incidents', post(token, key), incidentBody(over));

  it('files an incident with its first history entry', async () => {
    const r = await file({ reporter: { name: 'Lại Văn A', phone: '0912 345 678' }, run: runBody() });
    expect(r.statusCode).toBe(201);
    const inc = r.json() as Incident;
    expect(inc).toMatchObject({
      id: 1,
      category: 'mat_ket_noi',
      severity: 'critical',
      effect: 'postponed',
      status: 'open',
      history: [{ status: 'open', by: 'Lại Văn A' }],
    });
    expect(inc.run).toMatchObject({ verdict: 'not-ready', checks: [{ id: 'mcu-ping' }, { id: 'sip-port' }] });
    expect(JSON.stringify(inc.run)).not.toContain('/home/ktv');
  });

  it('effect defaults to none; the reporter defaults to the token label', async () => {
    const r = await file({ effect: undefined });
    expect(r.json()).toMatchObject({ effect: 'none', history: [{ by: 'ktv-bim-son' }] });
  });

  it('a replay returns the first answer; another body with the key is 409', async () => {
    const key = newKey();
    const a = await file({}, t.tokens.tech, key);
    t.now.ms += 1000;
    const b = await file({}, t.tokens.tech, key);
    expect(b.statusCode).toBe(201);
    expect(b.json()).toEqual(a.json());
    expect(count('incidents')).toBe(1);
    const c = await file({ summary: 'khác' }, t.tokens.tech, key);
    expect(c.statusCode).toBe(409);
    expect(count('incidents')).toBe(1);
  });

  it.each([
    ['category', { category: 'mat_song' }, 'category: must be one of: khong_hinh, khong_tieng'],
    ['severity', { severity: 'high' }, 'severity: must be one of: critical, major, minor'],
    ['effect', { effect: 'delayed' }, 'effect: must be one of: none, postponed, cancelled, rescheduled'],
    ['summary', { summary: '' }, 'summary: must not be empty'],
    ['summary', { summary: 'x'.repeat(301) }, 'summary: must be at most 300 characters'],
    ['occurredAt', { occurredAt: 'hôm qua' }, 'occurredAt: must be a date-time'],
    ['colour', { colour: 'red' }, 'colour: is not a known field'],
    [
      'run.checks[0].status',
      { run: { ...runBody(), checks: [{ ...runBody().checks[0], status: 'meh' }] } },
      'run.checks[0].status',
    ],
  ])('400 naming %s, nothing written', async (field, over, message) => {
    const r = await file(over);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.field).toBe(field);
    expect(r.json().error.message.startsWith(message)).toBe(true);
    expect(count('incidents')).toBe(0);
    expect(count('idempotency')).toBe(0);
  });

  it('400 naming a missing required field', async () => {
    const body = incidentBody() as Partial<ReturnType<typeof incidentBody>>;
    delete body.severity;
    const r = await inject('POST', '/v1/incidents', post(t.tokens.tech), body);
    expect(r.json().error).toEqual({
      code: 'bad_request',
      message: 'severity: is required',
      params: { why: 'required' },
      field: 'severity',
    });
  });

  it('403 for another unit and for a viewer', async () => {
    expect((await file({}, t.tokens.techOther)).statusCode).toBe(403);
    expect((await file({}, t.tokens.viewer)).statusCode).toBe(403);
    expect(count('incidents')).toBe(0);
  });

  async function seed() {
    const specs = [
      {
        category: 'mat_ket_noi',
        unit: 'thanh-hoa/bim-son/ubnd',
        site: 'th-bimson-ubnd',
        at: '2026-11-20T01:00:00Z',
      },
      {
        category: 'khong_tieng',
        unit: 'thanh-hoa/bim-son/ubnd',
        site: 'th-bimson-ubnd',
        at: '2026-11-21T01:00:00Z',
      },
      {
        category: 'mat_dien',
        unit: 'thanh-hoa/bim-son/phuong-1',
        site: 'th-bimson-p1',
        at: '2026-11-22T01:00:00Z',
      },
      {
        category: 'khong_tieng',
        unit: 'thanh-hoa/bim-son-2/x',
        site: 'th-other',
        at: '2026-11-23T01:00:00Z',
      },
      { category: 'su_co_mcu', unit: 'nghe-an/vinh', site: 'na-vinh', at: '2026-11-24T01:00:00Z' },
    ] as const;
    for (const s of specs) {
      const r = await file(
        { category: s.category, site: { id: s.site, unit: s.unit }, occurredAt: s.at },
        t.tokens.admin,
      );
      expect(r.statusCode).toBe(201);
    }
  }

  it('lists with filters, scoped to the token by default', async () => {
    await seed();
    const ids = async (query: string, token = t.tokens.tech) => {
      const r = await inject('GET', `/v1/incidents${query}`, bearer(token));
      expect(r.statusCode, query).toBe(200);
      return (r.json() as IncidentList).items.map((i) => i.id);
    };
    expect(await ids('')).toEqual([3, 2, 1]);
    expect(await ids('', t.tokens.admin)).toEqual([5, 4, 3, 2, 1]);
    expect(await ids('?unit=thanh-hoa', t.tokens.viewerProvince)).toEqual([4, 3, 2, 1]);
    expect(await ids('?unit=thanh-hoa/bim-son', t.tokens.viewerProvince)).toEqual([3, 2, 1]);
    expect(await ids('?category=khong_tieng')).toEqual([2]);
    expect(await ids('?site=th-bimson-ubnd')).toEqual([2, 1]);
    expect(await ids('?since=2026-11-21T00:00:00%2B07:00')).toEqual([3, 2]);
    await inject('PATCH', '/v1/incidents/2', bearer(t.tokens.tech), { status: 'resolved' });
    expect(await ids('?status=open')).toEqual([3, 1]);
    expect(await ids('?status=resolved')).toEqual([2]);
  });

  it('pages with an opaque cursor: every item once', async () => {
    await seed();
    const seen: number[] = [];
    let cursor: string | null = '';
    for (let guard = 0; guard < 10 && cursor !== null; guard++) {
      const r = await inject(
        'GET',
        `/v1/incidents?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        bearer(t.tokens.admin),
      );
      const page = r.json() as IncidentList;
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([5, 4, 3, 2, 1]);
  });

  it('400 bad filters, 403 for a unit or site out of scope', async () => {
    await seed();
    const err = async (query: string, token = t.tokens.tech) => {
      const r = await inject('GET', `/v1/incidents${query}`, bearer(token));
      return [r.statusCode, r.json().error?.field ?? r.json().error?.code];
    };
    expect(await err('?cursor=bm90LWEtY3Vyc29y')).toEqual([400, 'cursor']);
    expect(await err('?since=yesterday')).toEqual([400, 'since']);
    expect(await err('?category=mat_song')).toEqual([400, 'category']);
    expect(await err('?status=closed')).toEqual([400, 'status']);
    expect(await err('?limit=501')).toEqual([400, 'limit']);
    expect(await err('?limit=ten')).toEqual([400, 'limit']);
    expect(await err('?unit=Thanh%20Hoa')).toEqual([400, 'unit']);
    expect(await err('?colour=red')).toEqual([400, 'colour']);
    expect(await err('?unit=nghe-an')).toEqual([403, 'forbidden']);
    expect(await err('?unit=thanh-hoa')).toEqual([403, 'forbidden']);
    expect(await err('?unit=')).toEqual([403, 'forbidden']);
    expect(await err('?site=na-vinh')).toEqual([403, 'forbidden']);
  });

  it('reads one incident; 404 unknown, 403 out of scope', async () => {
    await seed();
    expect((await inject('GET', '/v1/incidents/1', bearer(t.tokens.viewer))).json()).toMatchObject({ id: 1 });
    expect((await inject('GET', '/v1/incidents/5', bearer(t.tokens.viewer))).statusCode).toBe(403);
    expect((await inject('GET', '/v1/incidents/42', bearer(t.tokens.viewer))).statusCode).toBe(404);
    expect((await inject('GET', '/v1/incidents/0', bearer(t.tokens.viewer))).json().error.field).toBe('id');
  });

  it('moves open → acknowledged → resolved with notes and a history; never backwards', async () => {
    await file();
    t.now.ms += 60_000;
    const ack = await inject('PATCH', '/v1/incidents/1', bearer(t.tokens.admin), {
      status: 'acknowledged',
      note: 'Đã tiếp nhận',
      by: 'VNPT',
    });
    expect(ack.statusCode).toBe(200);
    t.now.ms += 60_000;
    const res = await inject('PATCH', '/v1/incidents/1', bearer(t.tokens.tech), {
      status: 'resolved',
      note: 'Đã khắc phục',
    });
    const inc = res.json() as Incident;
    expect(inc.status).toBe('resolved');
    expect(inc.resolvedAt).toBe(new Date(NOW + 120_000).toISOString());
    expect(inc.history).toEqual([
      { at: new Date(NOW).toISOString(), status: 'open', by: 'ktv-bim-son' },
      { at: new Date(NOW + 60_000).toISOString(), status: 'acknowledged', note: 'Đã tiếp nhận', by: 'VNPT' },
      {
        at: new Date(NOW + 120_000).toISOString(),
        status: 'resolved',
        note: 'Đã khắc phục',
        by: 'ktv-bim-son',
      },
    ]);
    const back = await inject('PATCH', '/v1/incidents/1', bearer(t.tokens.tech), { status: 'acknowledged' });
    expect(back.statusCode).toBe(409);
    expect(back.json().error.code).toBe('invalid_transition');
    expect(count('incident_events')).toBe(3);
  });

  it('a replayed PATCH returns its first answer even after later moves', async () => {
    await file();
    const key = newKey();
    const first = await inject('PATCH', '/v1/incidents/1', post(t.tokens.tech, key), {
      status: 'acknowledged',
    });
    await inject('PATCH', '/v1/incidents/1', bearer(t.tokens.tech), { status: 'resolved' });
    const again = await inject('PATCH', '/v1/incidents/1', post(t.tokens.tech, key), {
      status: 'acknowledged',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(count('incident_events')).toBe(3);
  });

  it('PATCH: 400 bad status or field, 404 unknown, 403 viewer or out of scope', async () => {
    await file();
    const patch = async (id: number, body: unknown, token = t.tokens.tech) => {
      const r = await inject('PATCH', `/v1/incidents/${id}`, bearer(token), body);
      return [r.statusCode, r.json().error?.field ?? r.json().error?.code];
    };
    expect(await patch(1, { status: 'closed' })).toEqual([400, 'status']);
    expect(await patch(1, { status: 'open' })).toEqual([400, 'status']);
    expect(await patch(1, { status: 'resolved', colour: 1 })).toEqual([400, 'colour']);
    expect(await patch(9, { status: 'resolved' })).toEqual([404, 'not_found']);
    expect(await patch(1, { status: 'resolved' }, t.tokens.viewer)).toEqual([403, 'forbidden']);
    expect(await patch(1, { status: 'resolved' }, t.tokens.techOther)).toEqual([403, 'forbidden']);
    expect(count('incident_events')).toBe(1);
  });
});

describe('sites', () => {
  const site = {
    name: 'UBND phường Bắc Sơn',
    unit: 'thanh-hoa/bim-son/bac-son',
    technician: { name: 'Lê Thị B' },
  };

  it('PUT registers (201) then updates (200); GET reads and lists by unit', async () => {
    const a = await inject('PUT', '/v1/sites/th-bacson', bearer(t.tokens.tech), site);
    expect(a.statusCode).toBe(201);
    t.now.ms += 1000;
    const b = await inject('PUT', '/v1/sites/th-bacson', bearer(t.tokens.tech), { ...site, level: 'xa' });
    expect(b.statusCode).toBe(200);
    expect(b.json()).toMatchObject({
      id: 'th-bacson',
      level: 'xa',
      createdAt: new Date(NOW).toISOString(),
      updatedAt: new Date(NOW + 1000).toISOString(),
    });
    await inject('PUT', '/v1/sites/na-vinh', bearer(t.tokens.admin), { name: 'Vinh', unit: 'nghe-an/vinh' });
    expect((await inject('GET', '/v1/sites/th-bacson', bearer(t.tokens.viewer))).json()).toMatchObject({
      technician: { name: 'Lê Thị B' },
    });
    const list = (await inject('GET', '/v1/sites', bearer(t.tokens.viewer))).json() as SiteList;
    expect(list.items.map((s) => s.id)).toEqual(['th-bacson']);
    const all = (await inject('GET', '/v1/sites?limit=1', bearer(t.tokens.admin))).json() as SiteList;
    expect(all.items.map((s) => s.id)).toEqual(['na-vinh']);
    const next = (
      await inject('GET', `/v1/sites?limit=1&cursor=${all.nextCursor}`, bearer(t.tokens.admin))
    ).json() as SiteList;
    expect(next.items.map((s) => s.id)).toEqual(['th-bacson']);
    expect(next.nextCursor).toBeNull();
  });

  it('400 bad body or id, 403 out of scope or moving a site away, 404 unknown', async () => {
    await inject('PUT', '/v1/sites/th-bacson', bearer(t.tokens.tech), site);
    const put = async (id: string, body: unknown, token = t.tokens.tech) => {
      const r = await inject('PUT', `/v1/sites/${id}`, bearer(token), body);
      return [r.statusCode, r.json().error?.field ?? r.json().error?.code];
    };
    expect(await put('th-bacson', { ...site, unit: 'Thanh Hóa' })).toEqual([400, 'unit']);
    expect(await put('th-bacson', { unit: site.unit })).toEqual([400, 'name']);
    expect(await put('TH BacSon', site)).toEqual([400, 'id']);
    expect(await put('th-bacson', { ...site, unit: 'nghe-an/x' })).toEqual([403, 'forbidden']);
    expect(await put('th-bacson', site, t.tokens.techOther)).toEqual([403, 'forbidden']);
    expect(await put('th-bacson', site, t.tokens.viewer)).toEqual([403, 'forbidden']);
    expect((await inject('GET', '/v1/sites/th-bacson', bearer(t.tokens.techOther))).statusCode).toBe(403);
    expect((await inject('GET', '/v1/sites/nope', bearer(t.tokens.tech))).statusCode).toBe(404);
    expect((await inject('GET', '/v1/sites?unit=nghe-an', bearer(t.tokens.tech))).statusCode).toBe(403);
  });
});

describe('GET /v1/reports/readiness', () => {
  it('gives each site its last verdict, failing checks, and stale apart from failed', async () => {
    const hours = (h: number) => new Date(NOW - h * 3_600_000).toISOString();
    const up = (siteId: string, unit: string, verdict: 'ready' | 'not-ready', startedAt: string) =>
      inject('POST', '/v1/runs', post(t.tokens.admin), {
        ...runBody({ siteId, unit, verdict, startedAt }),
        ...(verdict === 'ready' ? { checks: [] } : {}),
      });
    await up('a-ready', 'thanh-hoa/bim-son/a', 'ready', hours(2));
    await up('b-failed', 'thanh-hoa/bim-son/b', 'not-ready', hours(3));
    await up('c-stale', 'thanh-hoa/bim-son/c', 'not-ready', hours(30));
    await inject('PUT', '/v1/sites/d-never', bearer(t.tokens.admin), {
      name: 'D',
      unit: 'thanh-hoa/bim-son/d',
    });
    await up('e-other', 'thanh-hoa/bim-son-2/e', 'ready', hours(1));
    // An old run uploaded late (from an outbox) does not hide a newer one.
    await up('a-ready', 'thanh-hoa/bim-son/a', 'not-ready', hours(20));

    const r = await inject('GET', '/v1/reports/readiness', bearer(t.tokens.viewer));
    expect(r.statusCode).toBe(200);
    const rep = r.json() as Readiness;
    expect(rep.unit).toBe('thanh-hoa/bim-son');
    expect(rep.staleBefore).toBe(hours(26));
    // A site that never reported is its own state (issue 15), not counted under stale.
    expect(rep.counts).toEqual({
      sites: 4,
      ready: 1,
      degraded: 0,
      notReady: 1,
      unknown: 0,
      stale: 1,
      never: 1,
    });
    expect(rep.sites.map((s) => [s.id, s.verdict, s.stale, s.failing])).toEqual([
      ['a-ready', 'ready', false, []],
      ['b-failed', 'not-ready', false, ['sip-port']],
      ['c-stale', 'not-ready', true, ['sip-port']],
      ['d-never', null, true, []],
    ]);
    expect(rep.sites[0]?.at).toBe(new Date(NOW - 2 * 3_600_000 + 2300).toISOString());
    expect(rep.sites[3]).toMatchObject({ at: null, runId: null });

    const since = (
      await inject(
        'GET',
        `/v1/reports/readiness?since=${encodeURIComponent(hours(2.5))}`,
        bearer(t.tokens.viewer),
      )
    ).json() as Readiness;
    expect(since.counts).toMatchObject({ ready: 1, notReady: 0, stale: 2, never: 1 });
    const province = (
      await inject('GET', '/v1/reports/readiness?unit=thanh-hoa', bearer(t.tokens.viewerProvince))
    ).json() as Readiness;
    expect(province.counts.sites).toBe(5);
  });

  it('follows a site moved in the register', async () => {
    await inject('POST', '/v1/runs', post(t.tokens.admin), runBody());
    await inject('PUT', '/v1/sites/th-bimson-ubnd', bearer(t.tokens.admin), {
      name: 'UBND',
      unit: 'thanh-hoa/bim-son-moi/ubnd',
    });
    const old = (await inject('GET', '/v1/reports/readiness', bearer(t.tokens.viewer))).json() as Readiness;
    expect(old.sites).toEqual([]);
    const moved = (
      await inject('GET', '/v1/reports/readiness?unit=thanh-hoa/bim-son-moi', bearer(t.tokens.admin))
    ).json() as Readiness;
    expect(moved.sites.map((s) => [s.id, s.verdict])).toEqual([['th-bimson-ubnd', 'not-ready']]);
  });

  it('400 bad since or unit, 403 out of scope', async () => {
    expect(
      (await inject('GET', '/v1/reports/readiness?since=x', bearer(t.tokens.viewer))).json().error.field,
    ).toBe('since');
    expect(
      (await inject('GET', '/v1/reports/readiness?unit=a//b', bearer(t.tokens.viewer))).json().error.field,
    ).toBe('unit');
    expect(
      (await inject('GET', '/v1/reports/readiness?unit=nghe-an', bearer(t.tokens.viewer))).statusCode,
    ).toBe(403);
  });
});

describe('speedtest (mounted from src/registry/speedtest.ts)', () => {
  it('needs a token and serves bytes', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/speedtest?bytes=10' })).statusCode).toBe(401);
    const r = await inject('GET', '/v1/speedtest?bytes=1000', bearer(t.tokens.viewer));
    expect(r.statusCode).toBe(200);
    expect(r.rawPayload.length).toBe(1000);
  });
});

describe('failures', () => {
  it('hides the details of a 500', async () => {
    const store = await openSqlite(':memory:');
    const app = await buildApp({ store, version: 'x', logLevel: 'silent' });
    const { createToken } = await import('../../src/registry/auth.js');
    const { token } = await createToken(store, { role: 'admin', unit: '', label: 'a', nowMs: NOW });
    store.listSites = async () => {
      throw new Error('SQLITE_CORRUPT: secret path /var/lib/x');
    };
    const r = await app.inject({ method: 'GET', url: '/v1/sites', headers: bearer(token) });
    expect(r.statusCode).toBe(500);
    expect(r.json()).toEqual({
      error: { code: 'internal', message: 'internal error; see the registry log' },
    });
    await app.close();
  });

  it('closing finishes a request in flight, then closes the store', async () => {
    const store = await openSqlite(':memory:');
    const { createToken } = await import('../../src/registry/auth.js');
    const { token } = await createToken(store, { role: 'admin', unit: '', label: 'a', nowMs: NOW });
    const app = await buildApp({ store, version: 'x', logLevel: 'silent', now: () => NOW });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const realIngest = store.ingestRun.bind(store);
    let entered: () => void = () => {};
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    store.ingestRun = async (run, idem) => {
      entered();
      await gate;
      return realIngest(run, idem);
    };
    const pending = fetch(`http://127.0.0.1:${port}/v1/runs`, {
      method: 'POST',
      headers: { ...post(token), 'content-type': 'application/json' },
      body: JSON.stringify(runBody()),
    });
    await inside;
    const closing = app.close();
    release();
    const res = await pending;
    expect(res.status).toBe(201);
    await closing;
    expect(() => store.handle.prepare('SELECT 1').get()).toThrow(/not open/);
  });
});
