/**
 * Codec HTTP replies are size-limited: a 30 MB reply from a local server is
 * stopped once over MAX_REPLY_BYTES (the request aborted, not read to the
 * end), with a driver error that names the limit.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_REPLY_BYTES, openCodecHttp } from '../../src/drivers/http.js';
import { DriverError } from '../../src/errors.js';
import { translator } from '../../src/i18n/index.js';

const TOTAL = 30 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

interface Served {
  port: number;
  /** Bytes the server managed to write, and whether the reply was cut before its end. */
  done: Promise<{ sent: number; aborted: boolean }>;
}

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

/** Serves `total` bytes of XML-ish text, honouring backpressure; with `declare`, a Content-Length. */
function serve(total: number, declare: boolean): Promise<Served> {
  let settle: (v: { sent: number; aborted: boolean }) => void = () => {};
  const done = new Promise<{ sent: number; aborted: boolean }>((r) => {
    settle = r;
  });
  server = http.createServer(async (_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/xml',
      ...(declare ? { 'content-length': String(total) } : {}),
    });
    let sent = 0;
    let closed = false;
    res.on('close', () => {
      closed = true;
      settle({ sent, aborted: !res.writableFinished });
    });
    while (sent < total && !closed) {
      const piece = CHUNK.subarray(0, Math.min(CHUNK.length, total - sent));
      sent += piece.length;
      if (!res.write(piece))
        await new Promise<void>((resolve) => {
          const go = () => {
            res.off('drain', go).off('close', go);
            resolve();
          };
          res.on('drain', go).on('close', go);
        });
    }
    res.end();
  });
  return new Promise((resolve) =>
    (server as http.Server).listen(0, '127.0.0.1', () =>
      resolve({ port: ((server as http.Server).address() as AddressInfo).port, done }),
    ),
  );
}

const client = (port: number) =>
  openCodecHttp(
    { host: '127.0.0.1', port, scheme: 'http', username: 'admin', timeout: '20s' },
    { t: translator('en') },
    'cisco',
  ).http;

describe('codec reply size limit', () => {
  it('stops a 30 MB chunked reply once over the limit: the request is aborted, a clear driver error', async () => {
    const { port, done } = await serve(TOTAL, false);
    const err = await client(port)
      .request({ method: 'GET', path: '/status.xml' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect((err as DriverError).code).toBe('CODEC_BAD_REPLY');
    expect((err as DriverError).message).toBe(
      `the codec at 127.0.0.1:${port} sent a reply to /status.xml larger than 8 MiB (the most diemcau reads); the request was stopped`,
    );
    const { sent, aborted } = await done;
    expect(aborted).toBe(true);
    // Read up to the limit, plus what sat in socket buffers: far from the 30 MB the server meant to send.
    expect(sent).toBeGreaterThan(MAX_REPLY_BYTES);
    expect(sent).toBeLessThan(TOTAL - 8 * 1024 * 1024);
  });

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    const { port, done } = await serve(TOTAL, true);
    const err = await client(port)
      .request({ method: 'GET', path: '/big' })
      .catch((e: unknown) => e);
    expect((err as DriverError).code).toBe('CODEC_BAD_REPLY');
    const { aborted, sent } = await done;
    expect(aborted).toBe(true);
    expect(sent).toBeLessThan(TOTAL - 8 * 1024 * 1024);
  });

  it('reads a reply just under the limit whole', async () => {
    const { port } = await serve(MAX_REPLY_BYTES, false);
    const reply = await client(port).request({ method: 'GET', path: '/ok' });
    expect(reply.status).toBe(200);
    expect(reply.text.length).toBe(MAX_REPLY_BYTES);
  });
});
