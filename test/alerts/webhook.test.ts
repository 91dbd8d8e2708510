/**
 * The webhook channel against local receivers: one that verifies the
 * signature and keeps one copy per Idempotency-Key, and receivers that
 * answer 500, 503 with Retry-After, 4xx, a redirect, or never answer.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import { channel } from '../../src/alerts/channels/webhook.js';
import { closedPortUrl, type Peer, peer, type Seen } from './http-peer.js';
import { ctx, sampleAlert } from './sample.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const SECRET = 'chia-se-bi-mat-0123456789abcdef';
const schema = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, '../../docs/schema/alert-1.json'), 'utf8'),
);
const validate = addFormats(new Ajv2020({ strict: true, allErrors: true })).compile(schema);

function signedBy(req: Seen, secret: string): boolean {
  const got = String(req.headers['x-diemcau-signature'] ?? '');
  const want = `sha256=${createHmac('sha256', secret).update(req.body, 'utf8').digest('hex')}`;
  return got.length === want.length && timingSafeEqual(Buffer.from(got), Buffer.from(want));
}

let peers: Peer[] = [];
async function receiver(...args: Parameters<typeof peer>) {
  const p = await peer(...args);
  peers.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(peers.map((p) => p.close()));
  peers = [];
});

describe('webhook', () => {
  it('POSTs the AlertMessage exactly, signed, with the Idempotency-Key; an idempotent receiver keeps one copy', async () => {
    const kept = new Map<string, unknown>();
    const hook = await receiver((req) => {
      if (req.method !== 'POST' || req.url !== '/hooks/diemcau') return { status: 404 };
      if (!signedBy(req, SECRET)) return { status: 401, body: { error: 'bad signature' } };
      const key = String(req.headers['idempotency-key']);
      if (kept.has(key)) return { status: 200, body: { duplicate: true } };
      kept.set(key, JSON.parse(req.body));
      return { status: 202, body: { accepted: true } };
    });
    const message = sampleAlert();
    const config = { url: `${hook.url}/hooks/diemcau`, secret: SECRET };
    expect(await channel.send(message, config, ctx())).toEqual({ ok: true });
    expect(await channel.send(message, config, ctx())).toEqual({ ok: true });
    expect(hook.seen).toHaveLength(2);
    const [req] = hook.seen;
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['idempotency-key']).toBe('al_01J9ZK:firing');
    expect(JSON.parse(req?.body ?? '')).toEqual(message);
    expect(validate(JSON.parse(req?.body ?? '')), JSON.stringify(validate.errors)).toBe(true);
    expect([...kept.keys()]).toEqual(['al_01J9ZK:firing']);

    // The recovery is another key; a wrong secret is refused by the receiver and not retried.
    expect(await channel.send(sampleAlert({ state: 'resolved' }), config, ctx())).toEqual({ ok: true });
    expect([...kept.keys()]).toEqual(['al_01J9ZK:firing', 'al_01J9ZK:resolved']);
    const wrong = await channel.send(message, { ...config, secret: 'another-secret-0123456789' }, ctx());
    expect(wrong).toMatchObject({ ok: false, retry: false });
  });

  it('500 and 429 are retried, 503 with Retry-After in seconds or as a date gives the wait', async () => {
    const answers = [
      { status: 500, body: 'Internal Server Error' },
      { status: 503, headers: { 'retry-after': '7' } },
      { status: 429, headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() } },
    ];
    const hook = await receiver(() => answers.shift() ?? { status: 200 });
    const config = { url: hook.url, secret: SECRET };
    const m = sampleAlert({ lang: 'en' });
    expect(await channel.send(m, config, ctx())).toEqual({
      ok: false,
      retry: true,
      reason: 'the service answered HTTP 500: Internal Server Error',
    });
    expect(await channel.send(m, config, ctx())).toMatchObject({
      ok: false,
      retry: true,
      retryAfterMs: 7000,
    });
    const later = await channel.send(m, config, ctx());
    expect(later).toMatchObject({ ok: false, retry: true });
    const wait = later.ok ? 0 : (later.retryAfterMs ?? 0);
    expect(wait).toBeGreaterThan(25_000);
    expect(wait).toBeLessThanOrEqual(30_000);
  });

  it('other 4xx are not retried; a redirect is not followed', async () => {
    const elsewhere = await receiver(() => ({ status: 200 }));
    const answers = [{ status: 400 }, { status: 410 }, { status: 302, headers: { location: elsewhere.url } }];
    const hook = await receiver(() => answers.shift() ?? { status: 200 });
    const config = { url: hook.url, secret: SECRET };
    for (const status of [400, 410]) {
      const out = await channel.send(sampleAlert({ lang: 'en' }), config, ctx());
      expect(out).toEqual({ ok: false, retry: false, reason: `the service answered HTTP ${status}` });
    }
    expect(await channel.send(sampleAlert(), config, ctx())).toMatchObject({ ok: false, retry: false });
    expect(elsewhere.seen).toHaveLength(0);
  });

  it('a receiver that never answers: a timeout at the per-attempt limit, retried', async () => {
    const hook = await receiver(() => 'hang');
    const t0 = Date.now();
    const out = await channel.send(sampleAlert({ lang: 'en' }), { url: hook.url, secret: SECRET }, ctx(400));
    expect(out).toEqual({ ok: false, retry: true, reason: 'no answer within 400 ms' });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('a refused connection is retried; a cancelled one says so', async () => {
    const url = await closedPortUrl();
    const out = await channel.send(sampleAlert({ lang: 'en' }), { url, secret: SECRET }, ctx());
    expect(out).toMatchObject({ ok: false, retry: true });
    expect(out.ok === false && out.reason).toMatch(/^could not reach the service: ECONNREFUSED/);
    const hook = await receiver(() => 'hang');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const cancelled = await channel.send(
      sampleAlert(),
      { url: hook.url, secret: SECRET },
      {
        signal: ac.signal,
        timeoutMs: 5000,
      },
    );
    expect(cancelled).toEqual({ ok: false, retry: true, reason: 'đã hủy: máy chủ tổng hợp đang dừng' });
  });

  it('never returns the shared secret, even when a receiver echoes it back', async () => {
    const hook = await receiver((req) => ({
      status: 500,
      body: `bad config: secret=${SECRET} sig=${req.headers['x-diemcau-signature']} ${encodeURIComponent(SECRET)}`,
    }));
    const out = await channel.send(sampleAlert(), { url: hook.url, secret: SECRET }, ctx());
    expect(out.ok).toBe(false);
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(JSON.stringify(out)).toContain('***');
  });
});
