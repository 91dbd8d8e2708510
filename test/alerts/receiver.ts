/**
 * A webhook receiver for tests: a real HTTP server on 127.0.0.1 that checks
 * X-Diemcau-Signature (HMAC-SHA256 of the body with the shared secret) and is
 * idempotent by Idempotency-Key, as a careful receiver is: a repeat is
 * answered 200 and counted, not processed twice.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertMessage } from '../../src/model/alert.js';

export interface Received {
  key: string;
  message: AlertMessage;
  atMs: number;
}

export interface Receiver {
  url: string;
  /** Every request that passed the signature check, repeats included. */
  requests: Received[];
  /** One per Idempotency-Key: what was processed. */
  processed: Map<string, Received>;
  badSignatures: number;
  /** Answer this status to the next n requests (then 200). */
  failNext(n: number, status?: number): void;
  /** Keep requests open without answering while set. */
  hang: boolean;
  /** Process at once but answer this much later (a slow receiver). */
  delayMs: number;
  waitFor(pred: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(secret: string): Promise<Receiver> {
  let failing = 0;
  let failStatus = 500;
  const open = new Set<http.ServerResponse>();
  const r: Receiver = {
    url: '',
    requests: [],
    processed: new Map(),
    badSignatures: 0,
    hang: false,
    delayMs: 0,
    failNext(n, status = 500) {
      failing = n;
      failStatus = status;
    },
    async waitFor(pred, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (!pred()) {
        if (Date.now() > until)
          throw new Error(`receiver: condition not met in ${timeoutMs} ms (${r.requests.length} requests)`);
        await new Promise((res) => setTimeout(res, 25));
      }
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const want = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      const got = String(req.headers['x-diemcau-signature'] ?? '');
      if (got.length !== want.length || !timingSafeEqual(Buffer.from(got), Buffer.from(want))) {
        r.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      const key = String(req.headers['idempotency-key'] ?? '');
      const rec = { key, message: JSON.parse(body.toString()) as AlertMessage, atMs: Date.now() };
      r.requests.push(rec);
      if (r.hang) {
        open.add(res);
        return;
      }
      if (failing > 0) {
        failing--;
        res.writeHead(failStatus).end();
        return;
      }
      if (!r.processed.has(key)) r.processed.set(key, rec);
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      if (r.delayMs > 0) {
        open.add(res);
        setTimeout(answer, r.delayMs);
      } else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return r;
}
