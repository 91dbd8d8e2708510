/** The registry client against small loopback servers: retries, backoff, timeouts, errors as data. */
import http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/registry/client.js';
import { deadPort } from './live.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A server answering each request with the next scripted [status, body] (the last one repeats). */
async function scripted(
  answers: Array<[number, unknown] | 'hang'>,
): Promise<{ url: string; seen: http.IncomingHttpHeaders[] }> {
  const seen: http.IncomingHttpHeaders[] = [];
  let i = 0;
  const srv = http.createServer((req, res) => {
    seen.push(req.headers);
    const a = answers[Math.min(i++, answers.length - 1)];
    if (a === 'hang') return;
    req.resume();
    res.writeHead(a?.[0] ?? 500, { 'content-type': 'application/json' });
    res.end(JSON.stringify(a?.[1] ?? {}));
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(srv.address() as net.AddressInfo).port}`, seen };
}

describe('RegistryClient', () => {
  it('sends the token, the key and JSON, and returns the answer', async () => {
    const s = await scripted([[201, { id: 7 }]]);
    const c = new RegistryClient({ url: s.url, token: 'dct_x', backoffMs: 1 });
    const r = await c.send('POST', '/v1/runs', { body: { a: 1 }, idempotencyKey: 'key-12345' });
    expect(r).toEqual({ kind: 'ok', status: 201, body: { id: 7 }, replayed: false });
    expect(s.seen[0]).toMatchObject({
      authorization: 'Bearer dct_x',
      'idempotency-key': 'key-12345',
      'content-type': 'application/json',
    });
    await c.close();
  });

  it('retries a 503 with the same key, then succeeds', async () => {
    const s = await scripted([
      [503, { error: { code: 'x', message: 'busy' } }],
      [502, {}],
      [201, { id: 1 }],
    ]);
    const c = new RegistryClient({ url: s.url, retries: 2, backoffMs: 1 });
    const r = await c.send('POST', '/v1/runs', { body: {}, idempotencyKey: 'same-key-1' });
    expect(r.kind).toBe('ok');
    expect(s.seen.map((h) => h['idempotency-key'])).toEqual(['same-key-1', 'same-key-1', 'same-key-1']);
    await c.close();
  });

  it('does not retry a 4xx and returns the registry error', async () => {
    const s = await scripted([
      [400, { error: { code: 'bad_request', message: 'summary: is required', field: 'summary' } }],
    ]);
    const c = new RegistryClient({ url: s.url, retries: 3, backoffMs: 1 });
    const r = await c.send('POST', '/v1/incidents', { body: {} });
    expect(r).toEqual({
      kind: 'http-error',
      status: 400,
      code: 'bad_request',
      message: 'summary: is required',
      field: 'summary',
    });
    expect(s.seen).toHaveLength(1);
    await c.close();
  });

  it('gives up on a 5xx after its retries', async () => {
    const s = await scripted([[500, { error: { code: 'internal', message: 'internal error' } }]]);
    const c = new RegistryClient({ url: s.url, retries: 2, backoffMs: 1 });
    expect(await c.send('GET', '/v1/health')).toMatchObject({ kind: 'http-error', status: 500 });
    expect(s.seen).toHaveLength(3);
    await c.close();
  });

  it('reports a refused connection as unreachable after its retries', async () => {
    const c = new RegistryClient({ url: `http://127.0.0.1:${await deadPort()}`, retries: 1, backoffMs: 1 });
    const r = await c.send('GET', '/v1/health');
    expect(r).toMatchObject({
      kind: 'unreachable',
      cancelled: false,
      message: expect.stringContaining('ECONNREFUSED'),
    });
    await c.close();
  });

  it('times out a registry that never answers', async () => {
    const s = await scripted(['hang']);
    const c = new RegistryClient({ url: s.url, retries: 0, timeoutMs: 200 });
    const r = await c.send('GET', '/v1/health');
    expect(r).toMatchObject({
      kind: 'unreachable',
      cancelled: false,
      message: expect.stringContaining('UND_ERR_HEADERS_TIMEOUT'),
    });
    await c.close();
  });

  it('stops at once when cancelled', async () => {
    const s = await scripted(['hang']);
    const ac = new AbortController();
    const c = new RegistryClient({ url: s.url, retries: 5, timeoutMs: 10_000, signal: ac.signal });
    const pending = c.send('GET', '/v1/health');
    setTimeout(() => ac.abort(), 50);
    expect(await pending).toMatchObject({ kind: 'unreachable', cancelled: true });
    await c.close();
  });
});
