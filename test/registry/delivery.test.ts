/**
 * Delivered means confirmed: an outbox item leaves the queue only on a 2xx
 * JSON answer naming what was stored. A captive portal's 200 text/html, a
 * redirect, a proxy's HTML error page or a JSON 2xx without an id keep it
 * queued, and `diemcau outbox` says why.
 */
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/registry/client.js';
import { RegistryClient } from '../../src/registry/client.js';
import { Outbox, type OutboxItem } from '../../src/registry/outbox.js';
import { run } from '../helpers/cli.js';
import { runBody } from './fixtures.js';
import { tempDir, writeProfile } from './live.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** Something answering in the registry's place: every request gets the same status, type and body. */
async function impostor(status: number, type: string, body: string, extra: Record<string, string> = {}) {
  const srv = http.createServer((req, res) => {
    req.resume();
    res.writeHead(status, { 'content-type': type, ...extra });
    res.end(body);
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(srv.address() as net.AddressInfo).port}`;
}

const PORTAL = '<html><body>Đăng nhập Wi-Fi khách sạn</body></html>';

describe('the client tells the registry from whatever answers in its place', () => {
  it.each([
    ['a captive portal', 200, 'text/html; charset=utf-8', PORTAL, 'not_json'],
    ['a redirect to a login page', 302, 'text/html', '', 'redirect'],
    ['JSON that does not parse', 200, 'application/json', '{"id": 1', 'not_json'],
    ['a proxy error page', 403, 'text/html', '<h1>Forbidden by proxy</h1>', 'http_403'],
  ])('%s is a foreign answer', async (_what, status, type, body, code) => {
    const url = await impostor(
      status,
      type,
      body,
      status === 302 ? { location: 'http://portal.example/login' } : {},
    );
    const c = new RegistryClient({ url, token: 'dct_x', retries: 0 });
    const r = await c.send('POST', '/v1/runs', { body: {}, idempotencyKey: 'key-12345' });
    await c.close();
    expect(r).toMatchObject({ kind: 'http-error', status, code, foreign: true });
  });

  it("the registry's own JSON error is not foreign", async () => {
    const url = await impostor(
      403,
      'application/json',
      JSON.stringify({ error: { code: 'forbidden', message: 'no' } }),
    );
    const c = new RegistryClient({ url, token: 'dct_x', retries: 0 });
    const r = await c.send('POST', '/v1/runs', { body: {}, idempotencyKey: 'key-12345' });
    await c.close();
    expect(r).toEqual({ kind: 'http-error', status: 403, code: 'forbidden', message: 'no' });
  });
});

describe('Outbox.flush keeps what was not confirmed', () => {
  const now = () => new Date('2026-11-25T02:00:00Z');
  const answers: Array<[string, Exclude<Outcome, { kind: 'unreachable' }>]> = [
    [
      '200 text/html',
      { kind: 'http-error', status: 200, code: 'not_json', message: 'HTTP 200 text/html', foreign: true },
    ],
    ['302', { kind: 'http-error', status: 302, code: 'redirect', message: 'HTTP 302', foreign: true }],
    [
      'a proxy 403 page',
      { kind: 'http-error', status: 403, code: 'http_403', message: '<h1>', foreign: true },
    ],
    ['201 JSON without an id', { kind: 'ok', status: 201, body: { ok: true }, replayed: false }],
  ];
  for (const [what, outcome] of answers) {
    it(`${what}: nothing removed, nothing set aside, the reason kept on the item`, async () => {
      const box = new Outbox(tempDir('delivery'));
      for (const l of ['a', 'b'])
        await box.add(
          { kind: 'run', method: 'POST', path: '/v1/runs', body: {}, registry: 'http://r', label: l },
          now(),
        );
      const report = await box.flush('http://r', async (_: OutboxItem) => outcome, { hasToken: true, now });
      expect(report.sent).toEqual([]);
      expect(report.rejected).toEqual([]);
      expect(report.stopped?.reason).toBe('unconfirmed');
      const left = await box.list();
      expect(left.map((i) => i.label)).toEqual(['a', 'b']);
      expect(left[0]?.lastError).toMatchObject({ at: now().toISOString(), status: outcome.status });
      expect(await box.listRejected()).toEqual([]);
    });
  }
});

describe('incident file and sync behind a captive portal', () => {
  it('say queued, not sent, and keep both items; outbox shows why', async () => {
    const portal = await impostor(200, 'text/html', PORTAL);
    const dir = tempDir('portal');
    const state = path.join(dir, 'state');
    writeProfile(dir, portal);
    const opts = { cwd: dir, env: { DIEMCAU_TOKEN: 'dct_whatever' }, stateDir: state };
    const filed = await run(
      ['incident', 'file', '--category', 'mat_dien', '--severity', 'critical', '--summary', 'mất điện'],
      opts,
    );
    expect(filed.code).toBe(0);
    expect(filed.stdout).toMatch(
      /^queued: th-bimson-ubnd: Power cut: mất điện\. The answer did not confirm it was stored/,
    );
    const box = new Outbox(state);
    await box.add(
      { kind: 'run', method: 'POST', path: '/v1/runs', body: runBody(), registry: portal, label: 'run A' },
      new Date(),
    );
    const sync = await run(['sync', '--format', 'json'], opts);
    expect(JSON.parse(sync.stdout)).toMatchObject({
      sent: 0,
      queued: 2,
      rejected: 0,
      stopped: { reason: 'unconfirmed' },
    });
    const listed = await run(['outbox'], opts);
    const rows = listed.stdout.trim().split('\n');
    expect(rows[0]).toBe('ID\tKIND\tCREATED\tREGISTRY\tWHAT\tLAST TRY');
    expect(rows[1]?.split('\t')[5]).toMatch(/^HTTP 200: not an answer of the registry/);
    expect(fs.readdirSync(path.join(state, 'outbox', 'rejected'))).toEqual([]);
  });
});

describe('credentials in a registry URL', () => {
  it('are never stored in an outbox file nor printed by outbox', async () => {
    const dir = tempDir('creds');
    const state = path.join(dir, 'state');
    const box = new Outbox(state);
    const url = 'http://ktv:matkhau123@127.0.0.1:9';
    await box.add(
      { kind: 'run', method: 'POST', path: '/v1/runs', body: {}, registry: url, label: 'run A' },
      new Date(),
    );
    // An item written by an older version, with the credentials in it.
    fs.writeFileSync(
      path.join(box.dir, '000000000000001-0001-abcdef.json'),
      JSON.stringify({
        v: 1,
        id: '000000000000001-0001-abcdef',
        kind: 'run',
        method: 'POST',
        path: '/v1/runs',
        key: 'k-old-123',
        body: {},
        registry: url,
        createdAt: '2026-11-25T00:00:00Z',
        label: 'old',
      }),
    );
    const files = fs.readdirSync(box.dir).filter((f) => f.endsWith('.json'));
    const fresh = files
      .map((f) => fs.readFileSync(path.join(box.dir, f), 'utf8'))
      .filter((t) => t.includes('run A'));
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).not.toContain('matkhau123');
    const shown = await run(['outbox'], { cwd: dir, env: {}, stateDir: state });
    expect(shown.stdout).not.toContain('matkhau123');
    expect(shown.stdout).toContain('http://127.0.0.1:9');
    // Still the same registry for sending.
    const report = await box.flush(
      url,
      async () => ({ kind: 'ok', status: 201, body: { id: 1 }, replayed: false }),
      { hasToken: true, now: () => new Date() },
    );
    expect(report.sent.map((s) => s.item.label)).toEqual(['run A']);
  });
});
