/** Bounded peers: the client's whole-request deadline and reply limit; the registry's timeouts and closes. */
import http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createToken } from '../../src/registry/auth.js';
import { RegistryClient } from '../../src/registry/client.js';
import { buildApp } from '../../src/registry/server.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(handler: http.RequestListener): Promise<string> {
  const srv = http.createServer(handler);
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(srv.address() as net.AddressInfo).port}`;
}

describe('the registry client', () => {
  it('gives up on a reply trickling one byte at a time at its whole-request deadline', async () => {
    const url = await serve((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      // Each byte well inside the per-read timeout, so only a deadline stops it.
      const timer = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(timer));
    });
    const c = new RegistryClient({ url, token: 't', retries: 0, timeoutMs: 5000, deadlineMs: 800 });
    const t0 = Date.now();
    const r = await c.send('GET', '/v1/incidents');
    await c.close();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r).toEqual({
      kind: 'unreachable',
      message: 'no complete answer within 800 ms',
      cancelled: false,
      code: 'ETIMEDOUT',
    });
  });

  it('drops a reply over its size limit, declared or streamed, without reading it all', async () => {
    let written = 0;
    const url = await serve((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('{}');
      };
      res.on('error', () => {});
      pump();
    });
    const c = new RegistryClient({ url, token: 't', retries: 0, maxReplyBytes: 1024 * 1024 });
    const r = await c.send('GET', '/v1/reports/readiness');
    await c.close();
    expect(r).toMatchObject({ kind: 'http-error', code: 'reply_too_large', foreign: true });
    expect(written).toBeLessThan(32 * 1024 * 1024);
    const declared = await serve((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) });
      res.write('{');
    });
    const c2 = new RegistryClient({ url: declared, token: 't', retries: 0, maxReplyBytes: 1024 });
    expect(await c2.send('GET', '/x')).toMatchObject({ code: 'reply_too_large' });
    await c2.close();
  });
});

describe('the registry server', () => {
  async function live(requestTimeoutMs?: number) {
    const store = await openSqlite(':memory:');
    const { token } = await createToken(store, {
      role: 'technician',
      unit: 'thanh-hoa',
      label: 'ktv',
      nowMs: Date.now(),
    });
    const app = await buildApp({
      store,
      version: 't',
      logLevel: 'silent',
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    return { app, token, port: (app.server.address() as net.AddressInfo).port };
  }

  it('sets request, headers and connection timeouts', async () => {
    const { app } = await live();
    expect(app.server.requestTimeout).toBe(30_000);
    expect(app.server.headersTimeout).toBe(10_000);
    expect(app.server.timeout).toBe(60_000);
    await app.close();
  });

  it('closes the connection after a 401 and a 413', async () => {
    const { app, port, token } = await live();
    const big = await fetch(`http://127.0.0.1:${port}/v1/runs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'idempotency-key': 'k-12345678',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(big.headers.get('connection')).toBe('close');
    const r = await fetch(`http://127.0.0.1:${port}/v1/incidents`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(r.status).toBe(401);
    expect(r.headers.get('connection')).toBe('close');
    const ok = await fetch(`http://127.0.0.1:${port}/v1/health`);
    expect(ok.headers.get('connection')).not.toBe('close');
    await app.close();
  });
});
