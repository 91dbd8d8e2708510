/**
 * throughput against a real Fastify server on 127.0.0.1 with the registry's
 * speed test plugin, plus a throttled server (a known rate) and servers that
 * fail in the ways a registry can.
 */
import net from 'node:net';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neededMbps, throughput } from '../../src/checks/throughput.js';
import { speedtestRoutes } from '../../src/registry/speedtest.js';
import { kindContext } from '../helpers/kind-context.js';

const apps: FastifyInstance[] = [];
async function serve(build: (app: FastifyInstance) => unknown): Promise<string> {
  const app = Fastify();
  await build(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  apps.push(app);
  const { port } = app.server.address() as net.AddressInfo;
  return `http://127.0.0.1:${port}`;
}

let url: string;
beforeAll(async () => {
  url = await serve((app) => app.register(speedtestRoutes, { public: true }));
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

const run = (params: Record<string, unknown>, profile: Record<string, unknown> = {}, timeoutMs = 15_000) =>
  throughput.run(params as never, kindContext({ timeoutMs, profile: { registry: { url }, ...profile } }));

describe('the speed test plugin', () => {
  it('GET sends exactly the bytes asked for, not cached', async () => {
    const res = await fetch(`${url}/v1/speedtest?bytes=100000`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await res.arrayBuffer()).byteLength).toBe(100_000);
  });
  it('POST reads and discards the body, and says how much and how long', async () => {
    const res = await fetch(`${url}/v1/speedtest`, {
      method: 'POST',
      body: new Uint8Array(300_000),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { bytes: number; ms: number };
    expect(body.bytes).toBe(300_000);
    expect(body.ms).toBeGreaterThan(0);
    // Any content type is taken as raw bytes.
    const json = await fetch(`${url}/v1/speedtest`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(await json.json()).toMatchObject({ bytes: 7 });
  });
  it('caps both directions', async () => {
    const small = await serve((app) => app.register(speedtestRoutes, { public: true, maxBytes: 1000 }));
    expect((await fetch(`${small}/v1/speedtest?bytes=1001`)).status).toBe(400);
    const res = await fetch(`${small}/v1/speedtest`, { method: 'POST', body: new Uint8Array(200_000) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'body_too_large' } });
  });
  it('asks for a token where the app authenticates', async () => {
    const guarded = await serve(async (app) => {
      app.decorate('authenticate', async (req: { headers: Record<string, unknown> }) => {
        if (req.headers.authorization !== 'Bearer good')
          throw Object.assign(new Error('no token'), { statusCode: 401 });
      });
      // As the registry does: errors in the documented shape, which the route's OpenAPI declares.
      app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) =>
        reply.code(err.statusCode ?? 500).send({ error: { code: 'unauthorized', message: err.message } }),
      );
      await app.register(speedtestRoutes);
    });
    expect((await fetch(`${guarded}/v1/speedtest?bytes=10`)).status).toBe(401);
    expect(
      (await fetch(`${guarded}/v1/speedtest?bytes=10`, { headers: { authorization: 'Bearer good' } })).status,
    ).toBe(200);
    const bad = await throughput.run(
      { duration: '500ms' } as never,
      kindContext({ profile: { registry: { url: guarded, token: 'wrong' } } }),
    );
    expect(bad.error?.code).toBe('TPUT_AUTH');
    const ok = await throughput.run(
      { duration: '300ms' } as never,
      kindContext({ profile: { registry: { url: guarded, token: 'good' } } }),
    );
    expect(ok.status).toBe('pass');
  });
});

describe('throughput check', () => {
  it('measures download and upload on loopback', async () => {
    const r = await run({ duration: '1s' });
    expect(r.status).toBe('pass');
    expect(r.metrics?.down_mbps).toBeGreaterThan(10);
    expect(r.metrics?.up_mbps).toBeGreaterThan(10);
    expect(r.summary).toMatch(
      /^download [\d.]+ Mbit\/s, upload [\d.]+ Mbit\/s against http:\/\/127\.0\.0\.1:\d+\/v1\/speedtest$/,
    );
    expect(r.details).toMatchObject({ duration_s: 1 });
  });

  it('the need defaults to the bridge rate × 1.25', async () => {
    const bridges = [
      { id: 'tinh', uri: 'sip:8001@mcu', rate_kbps: 1920 },
      { id: 'huyen', uri: 'sip:8002@mcu', rate_kbps: 768 },
    ];
    expect(neededMbps(bridges, undefined)).toEqual({ mbps: 2.4, rateKbps: 1920 });
    expect(neededMbps(bridges, 'huyen')).toEqual({ mbps: 0.96, rateKbps: 768 });
    expect(neededMbps([], undefined)).toBeUndefined();
    const r = await run({ duration: '500ms', direction: 'down' }, { bridges });
    expect(r.status).toBe('pass');
    expect(r.limits?.fail).toEqual({ down_mbps: 2.4, up_mbps: 2.4 });
    expect(r.summary).toContain('needed 2.4 Mbit/s');
  });

  it('a line slower than the need fails with what to do', async () => {
    const r = await run({ duration: '500ms', direction: 'up', min_up_mbps: 1e6 });
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('over the limit: up_mbps');
    expect(r.hint).toContain('slower than the call needs (1000000 Mbit/s)');
  });

  it('measures a known rate (a server throttled to 8 Mbit/s) within 15 %', async () => {
    const slow = await serve((app) => {
      app.get('/v1/speedtest', async (_req, reply) => {
        const block = Buffer.alloc(50_000, 7);
        // 50 kB every 50 ms = 1 MB/s = 8 Mbit/s.
        async function* paced() {
          for (let i = 0; i < 200; i += 1) {
            yield block;
            await new Promise((r) => setTimeout(r, 50));
          }
        }
        reply.header('content-type', 'application/octet-stream');
        return reply.send(Readable.from(paced()));
      });
    });
    const r = await throughput.run({ url: slow, duration: '2s', direction: 'down' } as never, kindContext());
    expect(r.metrics?.down_mbps).toBeGreaterThan(8 * 0.85);
    expect(r.metrics?.down_mbps).toBeLessThan(8 * 1.15);
  });

  it('no server: a clear error', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const r = await throughput.run(
      { url: `http://127.0.0.1:${port}`, duration: '500ms' } as never,
      kindContext(),
    );
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('TPUT_UNREACHABLE');
    expect(r.error?.message).toContain('ECONNREFUSED');
  });

  it('a registry without the speed test: HTTP error named', async () => {
    const bare = await serve(() => {});
    const r = await throughput.run({ url: bare, duration: '500ms' } as never, kindContext());
    expect(r.error?.code).toBe('TPUT_HTTP');
    expect(r.error?.message).toBe(`the speed test at ${bare}/v1/speedtest answered HTTP 404`);
  });

  it('a server that accepts and never answers: an error within the time, not a hang', async () => {
    const sockets: net.Socket[] = [];
    const mute = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', r));
    try {
      const port = (mute.address() as net.AddressInfo).port;
      const r = await throughput.run(
        { url: `http://127.0.0.1:${port}`, duration: '1s', direction: 'down' } as never,
        kindContext({ timeoutMs: 6000 }),
      );
      expect(r.status).toBe('error');
      expect(r.error?.code).toBe('TPUT_EMPTY');
      const up = await throughput.run(
        { url: `http://127.0.0.1:${port}`, duration: '1s', direction: 'up' } as never,
        kindContext({ timeoutMs: 8000 }),
      );
      expect(up.error?.code).toBe('TPUT_NO_ANSWER');
      expect(up.error?.message).toBe(
        `the speed test at http://127.0.0.1:${port}/v1/speedtest did not answer the upload within 4 s`,
      );
    } finally {
      for (const s of sockets) s.destroy();
      mute.close();
    }
  });

  it('no url anywhere', async () => {
    const r = await throughput.run({} as never, kindContext());
    expect(r.error?.code).toBe('TPUT_NO_URL');
  });
});
