/** The http kind against real HTTP(S) servers on 127.0.0.1. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http as httpKind } from '../../src/checks/http.js';
import { formatNumber } from '../../src/report/metrics.js';
import { kindContext } from '../helpers/kind-context.js';
import { havePeer } from '../helpers/peers.js';

const fmt = (v: number | undefined) => formatNumber(v as number);

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const routes: Record<string, Handler> = {
  '/ok': (_req, res) => res.end('Phòng họp trực tuyến tỉnh: sẵn sàng'),
  '/error': (_req, res) => {
    res.statusCode = 500;
    res.end('internal error');
  },
  '/moved': (_req, res) => {
    res.writeHead(302, { location: '/login' });
    res.end();
  },
  '/slow': (_req, res) => {
    const timer = setTimeout(() => res.end('late'), 300);
    res.on('close', () => clearTimeout(timer));
  },
  '/never': () => {
    // Never answers: the client must give up by itself.
  },
};

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

async function close(server: http.Server | https.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('http', () => {
  const notFound: Handler = (_req, res) => {
    res.statusCode = 404;
    res.end();
  };
  const server = http.createServer((req, res) => (routes[req.url ?? ''] ?? notFound)(req, res));
  let base = '';
  beforeAll(async () => {
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  afterAll(() => close(server));

  it('200: pass with status, ttfb_ms, total_ms and bytes; English and Vietnamese', async () => {
    const r = await httpKind.run({ url: `${base}/ok` }, kindContext());
    expect(r.status).toBe('pass');
    const body = Buffer.byteLength('Phòng họp trực tuyến tỉnh: sẵn sàng');
    expect(r.metrics).toMatchObject({ status: 200, bytes: body });
    expect(r.metrics?.total_ms).toBeGreaterThanOrEqual(r.metrics?.ttfb_ms as number);
    expect(r.summary).toBe(
      `GET ${base}/ok answered 200 (${fmt(r.metrics?.ttfb_ms)} ms to the first byte, ${fmt(r.metrics?.total_ms)} ms in all)`,
    );
    expect(r.details).toEqual({ url: `${base}/ok`, method: 'GET', status: 200 });
    const rv = await httpKind.run({ url: `${base}/ok` }, kindContext({ locale: 'vi' }));
    expect(rv.summary).toBe(
      `GET ${base}/ok trả về 200 (${fmt(rv.metrics?.ttfb_ms)} ms tới byte đầu tiên, tổng ${fmt(rv.metrics?.total_ms)} ms)`,
    );
  });

  it('contains: the text found passes, a missing text fails HTTP_CONTENT', async () => {
    expect((await httpKind.run({ url: `${base}/ok`, contains: 'sẵn sàng' }, kindContext())).status).toBe(
      'pass',
    );
    const r = await httpKind.run({ url: `${base}/ok`, contains: 'Bảo trì' }, kindContext());
    expect(r).toMatchObject({
      status: 'fail',
      summary: `the answer of ${base}/ok does not contain "Bảo trì"`,
      metrics: { status: 200 },
      error: { code: 'HTTP_CONTENT' },
    });
    expect(r.hint).toContain('maintenance page');
  });

  it('500: fail HTTP_STATUS with a hint', async () => {
    const r = await httpKind.run({ url: `${base}/error` }, kindContext());
    expect(r).toMatchObject({
      status: 'fail',
      summary: `${base}/error answered 500, expected 2xx or 3xx`,
      metrics: { status: 500, bytes: 14 },
      error: { code: 'HTTP_STATUS' },
      hint: expect.stringContaining('5xx'),
    });
  });

  it('expect_status as a number or a list', async () => {
    expect((await httpKind.run({ url: `${base}/error`, expect_status: 500 }, kindContext())).status).toBe(
      'pass',
    );
    const r = await httpKind.run(
      { url: `${base}/ok`, expect_status: [204, 304] },
      kindContext({ locale: 'vi' }),
    );
    expect(r).toMatchObject({ status: 'fail', summary: `${base}/ok trả về 200, cần 204, 304` });
  });

  it('a redirect is not followed: 302 passes by default and its location is kept', async () => {
    const r = await httpKind.run({ url: `${base}/moved` }, kindContext());
    expect(r.status).toBe('pass');
    expect(r.details).toMatchObject({ status: 302, location: '/login' });
    expect((await httpKind.run({ url: `${base}/moved`, expect_status: 200 }, kindContext())).status).toBe(
      'fail',
    );
  });

  it('HEAD reads no body', async () => {
    const r = await httpKind.run({ url: `${base}/ok`, method: 'HEAD' }, kindContext());
    expect(r).toMatchObject({ status: 'pass', metrics: { status: 200, bytes: 0 } });
  });

  it('a server that answers after 300 ms with warn ttfb_ms 100: warn, the limit named', async () => {
    const r = await httpKind.run({ url: `${base}/slow`, warn: { ttfb_ms: 100 } }, kindContext());
    expect(r.status).toBe('warn');
    expect(r.metrics?.ttfb_ms).toBeGreaterThan(100);
    expect(r.summary).toMatch(/; over the limit: ttfb_ms [\d.]+ \(warning limit 100\)$/);
    expect(r.hint).toBe(kindContext().t('net.http.hint.timeout'));
  });

  it('a server that never answers: fail TIMEOUT, within the check timeout', async () => {
    const started = performance.now();
    const r = await httpKind.run({ url: `${base}/never` }, kindContext({ timeoutMs: 800 }));
    expect(r).toMatchObject({
      status: 'fail',
      summary: `${base}/never did not answer within 0.6 s`,
      error: { code: 'TIMEOUT' },
    });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('connection refused: fail ECONNREFUSED', async () => {
    const other = http.createServer();
    const port = await listen(other);
    await close(other);
    const r = await httpKind.run({ url: `http://127.0.0.1:${port}/` }, kindContext());
    expect(r).toMatchObject({
      status: 'fail',
      summary: `http://127.0.0.1:${port}/: connection refused`,
      error: { code: 'ECONNREFUSED' },
    });
  });

  it('an aborted signal: error CANCELLED', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const r = await httpKind.run({ url: `${base}/never` }, kindContext({ signal: controller.signal }));
    expect(r).toMatchObject({ status: 'error', error: { code: 'CANCELLED' } });
  });
});

describe.skipIf(!havePeer('openssl', 'apt install openssl'))('https with a self-signed certificate', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diemcau-tls-'));
  let server: https.Server;
  let url = '';
  beforeAll(async () => {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) =>
      res.end('codec web ui'),
    );
    url = `https://127.0.0.1:${await listen(server)}/`;
  });
  afterAll(async () => {
    if (server) await close(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejected by default: fail with the TLS code and the clock/certificate hint', async () => {
    const r = await httpKind.run({ url }, kindContext());
    expect(r).toMatchObject({
      status: 'fail',
      summary: `${url}: TLS error DEPTH_ZERO_SELF_SIGNED_CERT`,
      error: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
      hint: expect.stringContaining('insecure_tls: true'),
    });
  });

  it('accepted with insecure_tls: true', async () => {
    const r = await httpKind.run({ url, insecure_tls: true, contains: 'codec' }, kindContext());
    expect(r).toMatchObject({ status: 'pass', metrics: { status: 200, bytes: 12 } });
  });
});
