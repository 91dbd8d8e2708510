/**
 * POST /v1/runs:batch: each run its own key and answer, a bad run refusing only itself, one transaction.
 * Every case runs twice: bodies read on the request thread, and every body read by the batch worker
 * built in dist/ (`npm test` builds first), which must give the same answers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunBatchAnswer } from '../../src/model/batch.js';
import type { Readiness } from '../../src/model/report.js';
import type { RunInput } from '../../src/model/run.js';
import { BatchWorker } from '../../src/registry/routes/runs-batch-pool.js';
import { buildApp } from '../../src/registry/server.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import { bearer, newKey, post, runBody, type TestApp, testApp } from './fixtures.js';

const WORKER = path.resolve(__dirname, '../../dist/registry/routes/runs-batch-worker.js');

let t: TestApp;

const batch = (token: string, runs: unknown[], headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/runs:batch',
    headers: { ...bearer(token), ...headers },
    payload: { runs },
  });

const single = (token: string, key: string, body: unknown) =>
  t.app.inject({ method: 'POST', url: '/v1/runs', headers: post(token, key), payload: body as object });

const item = (over: Parameters<typeof runBody>[0] = {}, key = newKey()) => ({ key, run: runBody(over) });

describe.each([
  ['on the request thread', false as const],
  ['in the batch worker', { file: WORKER, minBytes: 0 }],
])('POST /v1/runs:batch, bodies read %s', (_, batchWorker) => {
  let handledBefore = 0;
  beforeEach(async () => {
    if (batchWorker) expect(fs.existsSync(WORKER), `${WORKER}: run npm run build first`).toBe(true);
    handledBefore = BatchWorker.handled;
    t = await testApp(undefined, { batchWorker });
  });
  afterEach(async () => {
    await t.app.close();
  });

  it('the bodies of good batches were read where this block says', async () => {
    const r = await batch(t.tokens.tech, [item({ siteId: 'where' })]);
    expect(r.statusCode).toBe(200);
    expect(BatchWorker.handled - handledBefore).toBe(batchWorker ? 1 : 0);
  });

  it('stores each run under its own key and answers each in order, as POST /v1/runs would', async () => {
    const items = [
      item({ siteId: 'bs-a' }),
      item({ siteId: 'bs-b', verdict: 'ready' }),
      item({ siteId: 'bs-c' }),
    ];
    const r = await batch(t.tokens.tech, items);
    expect(r.statusCode).toBe(200);
    const { results } = r.json() as RunBatchAnswer;
    expect(results.map((x) => [x.key, x.status, x.run?.site, x.replayed])).toEqual([
      [items[0]?.key, 201, 'bs-a', undefined],
      [items[1]?.key, 201, 'bs-b', undefined],
      [items[2]?.key, 201, 'bs-c', undefined],
    ]);
    expect(new Set(results.map((x) => x.run?.id)).size).toBe(3);
    const back = await t.app.inject({
      method: 'GET',
      url: `/v1/runs/${results[1]?.run?.id}`,
      headers: bearer(t.tokens.tech),
    });
    expect(back.json()).toMatchObject({ site: { id: 'bs-b' }, verdict: 'ready' });
    expect(back.json()).not.toHaveProperty('file');
  });

  it('mixes good, bad, out-of-scope, reused-key, claimed-site and replayed runs: each its own answer', async () => {
    // Earlier single uploads: a run whose answer was lost (sent again in the batch), a key used once.
    const lost = item({ siteId: 'bs-lost' });
    const first = await single(t.tokens.tech, lost.key, lost.run);
    expect(first.statusCode).toBe(201);
    const used = item({ siteId: 'bs-used' });
    expect((await single(t.tokens.tech, used.key, used.run)).statusCode).toBe(201);
    // A site held by another unit.
    await t.app.inject({
      method: 'PUT',
      url: '/v1/sites/held',
      headers: bearer(t.tokens.admin),
      payload: { name: 'Held', unit: 'thanh-hoa/bim-son/other' },
    });
    const bad = runBody({ siteId: 'bs-bad' }) as unknown as { checks: Array<Record<string, unknown>> };
    (bad.checks[1] as Record<string, unknown>).status = 'broken';
    const items = [
      item({ siteId: 'bs-ok-1' }),
      { key: newKey(), run: bad },
      item({ siteId: 'na-vinh', unit: 'nghe-an/vinh' }),
      { key: used.key, run: runBody({ siteId: 'bs-used', verdict: 'ready' }) },
      item({ siteId: 'held', unit: 'thanh-hoa/bim-son/ubnd' }),
      lost,
      { key: 'short', run: runBody({ siteId: 'bs-short' }) },
      item({ siteId: 'bs-future', startedAt: '2099-01-01T00:00:00.000Z' }),
      { key: newKey(), run: runBody({ siteId: 'bs-extra' }), extra: 1 },
      'not an object',
      item({ siteId: 'bs-ok-2' }),
    ];
    const r = await batch(t.tokens.tech, items);
    expect(r.statusCode).toBe(200);
    if (batchWorker) expect(BatchWorker.handled).toBeGreaterThan(handledBefore);
    const { results } = r.json() as RunBatchAnswer;
    expect(results.map((x) => [x.status, x.error?.code ?? null, x.error?.field ?? null])).toEqual([
      [201, null, null],
      [400, 'bad_request', 'checks[1].status'],
      [403, 'forbidden', null],
      [409, 'idempotency_key_reused', null],
      [409, 'site_unit_mismatch', null],
      [201, null, null],
      [400, 'bad_request', 'key'],
      [400, 'bad_request', 'startedAt'],
      [400, 'bad_request', 'extra'],
      [400, 'bad_request', 'body'],
      [201, null, null],
    ]);
    // The lost one is a replay of its first answer, the same run.
    expect(results[5]).toEqual({ key: lost.key, status: 201, run: first.json(), replayed: true });
    // Each refusal is the message POST /v1/runs gives for the same run.
    const alone = await single(t.tokens.tech, newKey(), bad);
    expect(results[1]?.error).toEqual(alone.json().error);
    const rep = await t.app.inject({
      method: 'GET',
      url: '/v1/reports/readiness',
      headers: bearer(t.tokens.admin),
    });
    const ids = (rep.json() as Readiness).sites.filter((s) => s.runId !== null).map((s) => s.id);
    expect(ids.sort()).toEqual(['bs-lost', 'bs-ok-1', 'bs-ok-2', 'bs-used']);
  });

  it('a batch sent again is a replay run by run; a run first sent in a batch replays alone too', async () => {
    const items = [item({ siteId: 'bs-a' }), item({ siteId: 'bs-b' })];
    const a = (await batch(t.tokens.tech, items)).json() as RunBatchAnswer;
    const b = (await batch(t.tokens.tech, items)).json() as RunBatchAnswer;
    expect(b.results).toEqual(a.results.map((x) => ({ ...x, replayed: true })));
    const alone = await single(t.tokens.tech, items[0]?.key as string, items[0]?.run);
    expect(alone.statusCode).toBe(201);
    expect(alone.headers['idempotent-replayed']).toBe('true');
    expect(alone.json()).toEqual(a.results[0]?.run);
  });

  it('the same key twice in one batch: the first is stored, the second is its replay (or a 409)', async () => {
    const one = item({ siteId: 'bs-a' });
    const r = (
      await batch(t.tokens.tech, [one, one, { key: one.key, run: runBody({ siteId: 'bs-z' }) }])
    ).json() as RunBatchAnswer;
    expect(r.results.map((x) => [x.status, x.replayed ?? false, x.error?.code ?? null])).toEqual([
      [201, false, null],
      [201, true, null],
      [409, false, 'idempotency_key_reused'],
    ]);
  });

  it('a new site claimed by two units in one batch goes to the first; the second is told who holds it', async () => {
    const r = (
      await batch(t.tokens.admin, [
        item({ siteId: 'twice', unit: 'thanh-hoa/a' }),
        item({ siteId: 'twice', unit: 'thanh-hoa/b' }),
      ])
    ).json() as RunBatchAnswer;
    expect(r.results.map((x) => x.status)).toEqual([201, 409]);
    expect(r.results[1]?.error?.message).toMatch(/registered under unit thanh-hoa\/a/);
  });

  it('refuses the whole request only for what is not a batch: token, envelope, size', async () => {
    const none = await t.app.inject({ method: 'POST', url: '/v1/runs:batch', payload: { runs: [item()] } });
    expect(none.statusCode).toBe(401);
    for (const payload of [{}, { runs: [] }, { runs: {} }, { runs: [item()], more: 1 }]) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/v1/runs:batch',
        headers: bearer(t.tokens.tech),
        payload,
      });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().error.code).toBe('bad_request');
    }
    const many = Array.from({ length: 1001 }, (_, i) => ({ key: `key-${i}-xxxx`, run: {} }));
    const r = await batch(t.tokens.tech, many);
    expect(r.statusCode).toBe(413);
    expect(r.json().error).toMatchObject({ code: 'body_too_large', field: 'runs' });
    // A viewer may not write: each run is refused (403), nothing stored.
    const v = (await batch(t.tokens.viewer, [item()])).json() as RunBatchAnswer;
    expect(v.results.map((x) => [x.status, x.error?.code])).toEqual([[403, 'forbidden']]);
  });

  it('takes up to 8 times the body limit in one batch, each run within the limit for one', async () => {
    const store = await openSqlite(':memory:');
    const { createToken } = await import('../../src/registry/auth.js');
    const { token } = await createToken(store, { role: 'admin', unit: '', label: 'a', nowMs: Date.now() });
    const app = await buildApp({ store, version: 't', logLevel: 'silent', bodyLimit: 20_000, batchWorker });
    try {
      const big = runBody({ siteId: 'big' }) as RunInput;
      (big.checks[0] as { details?: unknown }).details = { log: 'x'.repeat(25_000) };
      const items = [item({ siteId: 's1' }), { key: newKey(), run: big }, item({ siteId: 's2' })];
      const r = await app.inject({
        method: 'POST',
        url: '/v1/runs:batch',
        headers: bearer(token),
        payload: { runs: items },
      });
      expect(r.statusCode).toBe(200);
      expect((r.json() as RunBatchAnswer).results.map((x) => [x.status, x.error?.code ?? null])).toEqual([
        [201, null],
        [413, 'body_too_large'],
        [201, null],
      ]);
      const tooBig = await app.inject({
        method: 'POST',
        url: '/v1/runs:batch',
        headers: bearer(token),
        payload: { runs: Array.from({ length: 400 }, () => item()) },
      });
      expect(tooBig.statusCode).toBe(413);
    } finally {
      await app.close();
    }
  });
});
