/**
 * `diemcau report readiness` builds the heatmap from one GET /v1/reports/daily;
 * against a registry without that route it reads each site's runs instead.
 * Both give the same report, byte for byte.
 */
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInput } from '../../src/model/run.js';
import { run } from '../helpers/cli.js';
import { bearer, post, runBody, type TestApp, testApp } from '../registry/fixtures.js';
import { tempDir } from '../registry/live.js';

const H = 3_600_000;
let t: TestApp;
let url: string;
let dir: string;
let hideDaily = false;
const hits = { daily: 0, runs: 0 };

beforeAll(async () => {
  t = await testApp();
  // An older registry: the daily route answers 404 like any unknown route.
  t.app.addHook('onRequest', async (req, reply) => {
    const p = req.url.split('?')[0];
    if (p === '/v1/reports/daily') {
      hits.daily += 1;
      if (hideDaily)
        return reply.code(404).send({ error: { code: 'not_found', message: `no route GET ${p}` } });
    }
    if (p === '/v1/runs' && req.method === 'GET') hits.runs += 1;
  });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}`;
  dir = tempDir('report-daily');
  const T = Math.floor(Date.now() / H) * H;
  t.now.ms = T;
  const up = async (siteId: string, verdict: RunInput['verdict'], atMs: number) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/runs',
      headers: post(t.tokens.admin),
      payload: {
        ...runBody({ siteId, unit: `thanh-hoa/${siteId}`, verdict, startedAt: new Date(atMs).toISOString() }),
      },
    });
    expect(r.statusCode, r.body).toBe(201);
  };
  // Runs every 5 h over 9 days (across midnights in any zone), verdicts cycling, for four sites.
  const verdicts = ['ready', 'degraded', 'ready', 'not-ready', 'unknown', 'ready'] as const;
  for (const [k, id] of ['xa-a', 'xa-b', 'xa-c', 'xa-d'].entries())
    for (let h = 9 * 24 - k; h > 0; h -= 5 + k)
      await up(id, verdicts[(h + k) % verdicts.length] as RunInput['verdict'], T - h * H);
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/sites/xa-e',
    headers: bearer(t.tokens.admin),
    payload: { name: 'UBND xã Ê', unit: 'thanh-hoa/xa-e' },
  });
  expect(put.statusCode).toBe(201);
});

afterAll(async () => {
  await t?.app.close();
});

const report = (args: string[]) =>
  run(['report', 'readiness', '--unit', 'thanh-hoa', ...args, '--registry', url], {
    env: { DIEMCAU_TOKEN: t.tokens.viewerProvince },
    cwd: dir,
    stateDir: path.join(dir, 'state'),
  });

async function both(args: string[]): Promise<{ daily: string; perSite: string }> {
  hideDaily = false;
  hits.daily = 0;
  hits.runs = 0;
  const a = await report(args);
  expect(a.code, a.stderr).toBe(0);
  expect(hits).toEqual({ daily: 1, runs: 0 });
  hideDaily = true;
  hits.daily = 0;
  const b = await report(args);
  expect(b.code, b.stderr).toBe(0);
  expect(hits.daily).toBe(1);
  expect(hits.runs).toBeGreaterThanOrEqual(5);
  return { daily: a.stdout, perSite: b.stdout };
}

describe('report readiness: the daily grid', () => {
  it('json --days 8: one request, the same grid as from every site runs', async () => {
    const { daily, perSite } = await both(['--days', '8', '--format', 'json']);
    const doc = JSON.parse(daily);
    expect(doc.daily.days).toHaveLength(8);
    expect(doc.daily.sites.map((s: { id: string }) => s.id)).toEqual([
      'xa-a',
      'xa-b',
      'xa-c',
      'xa-d',
      'xa-e',
    ]);
    expect(doc.daily.sites[4].verdicts).toEqual(new Array(8).fill(null));
    const cells = doc.daily.sites.flatMap((s: { verdicts: unknown[] }) => s.verdicts);
    for (const v of ['ready', 'degraded', 'not-ready', 'unknown']) expect(cells).toContain(v);
    expect(daily).toBe(perSite);
  });

  it('html: the same page', async () => {
    const { daily, perSite } = await both(['--format', 'html']);
    expect(daily).toContain('<figure class="hm"');
    expect(daily).toBe(perSite);
  });

  it('--days above what the registry gives: its 400 with the reason, exit 3', async () => {
    hideDaily = false;
    const r = await report(['--days', '63', '--format', 'json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('days');
    expect(r.stderr).toContain('62');
  });
});
