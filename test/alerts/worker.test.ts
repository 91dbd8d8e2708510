/**
 * The delivery worker against a real webhook receiver on 127.0.0.1 (signature
 * checked, idempotent by key), over a real SQLite store: one alert and one
 * recovery with the site's contacts, retries after 500 and after no answer,
 * a secret missing from the environment, quiet hours and their critical
 * exception, a daily digest.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Type } from '@sinclair/typebox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelLookup } from '../../src/alerts/lookup.js';
import type { AlertConfig } from '../../src/alerts/rules.js';
import { AlertWorker } from '../../src/alerts/worker.js';
import { openSqlite, type SqliteStore } from '../../src/registry/store/sqlite.js';
import { incident, run } from '../registry/store.conformance.js';
import { type Receiver, startReceiver } from './receiver.js';
import { testLookup, webhookKind } from './webhook-kind.mjs';

const SECRET = 's3cret-hook-key';
let seq = 0;
const idem = () => ({ key: `w-${++seq}`, fingerprint: 'fp' });

describe('alert delivery worker', () => {
  let dir: string;
  let store: SqliteStore;
  let hook: Receiver;
  let worker: AlertWorker | undefined;
  let errors: unknown[];

  const config = (
    over: Partial<AlertConfig['rules'][number]> = {},
    channel: Record<string, unknown> = {},
  ): AlertConfig => ({
    channels: [{ id: 'hook', kind: 'webhook', url: hook.url, secret: '${HOOK_SECRET}', ...channel }],
    rules: [{ id: 'down', event: 'site-not-ready', channels: ['hook'], ...over }],
  });
  const start = (
    env: Record<string, string> = { HOOK_SECRET: SECRET },
    now?: () => number,
    lookup: ChannelLookup = testLookup,
  ) => {
    worker = new AlertWorker({
      store,
      lookup,
      env,
      source: 'file',
      pollMs: 50,
      timeoutMs: 400,
      retryFirstMs: 100,
      onError: (e) => errors.push(e),
      ...(now ? { now } : {}),
    });
    worker.start();
  };
  /** The newest log entry once an attempt has failed (or after 2 s). */
  const firstFailure = async () => {
    for (let i = 0; i < 40; i++) {
      const [entry] = await store.alerts.log({ unitPrefix: '', limit: 1 });
      if (entry?.error) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return (await store.alerts.log({ unitPrefix: '', limit: 1 }))[0];
  };
  const upload = (verdict: 'ready' | 'not-ready', atMs = Date.now() - 5000, siteId = 'xa-a') =>
    store.ingestRun(
      run({ siteId, verdict, startedMs: atMs, finishedMs: atMs + 1000, receivedMs: Date.now() }),
      idem(),
    );

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-worker-'));
    store = await openSqlite(path.join(dir, 'r.db'));
    hook = await startReceiver(SECRET);
    errors = [];
    await store.putSite(
      'xa-a',
      {
        name: 'UBND xã A',
        unit: 'ha-noi/ba-dinh',
        technician: { name: 'Nguyễn Văn Kỹ', phone: '0912 345 678' },
        focal_point: { name: 'Trần Thị Mối', phone: '0987 654 321' },
      },
      Date.now(),
    );
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await hook.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends one alert while not ready and one recovery, signed, with the contacts, in Vietnamese', async () => {
    store.alerts.config = config();
    start();
    await upload('not-ready');
    await upload('not-ready');
    await hook.waitFor(() => hook.processed.size === 1);
    await upload('ready');
    await hook.waitFor(() => hook.processed.size === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(hook.requests).toHaveLength(2);
    expect(hook.badSignatures).toBe(0);
    const [fire, ok] = hook.requests;
    expect(fire?.key).toBe(`${fire?.message.id}:firing`);
    expect(fire?.message).toMatchObject({
      schema: 'diemcau/alert@1',
      rule: 'down',
      event: 'site-not-ready',
      state: 'firing',
      lang: 'vi',
      summary: 'Điểm cầu UBND xã A CHƯA SẴN SÀNG họp: lỗi sip-port, mcu-ping',
      site: {
        id: 'xa-a',
        unit: 'ha-noi/ba-dinh',
        technician: { name: 'Nguyễn Văn Kỹ', phone: '0912 345 678' },
        focalPoint: { name: 'Trần Thị Mối', phone: '0987 654 321' },
      },
    });
    expect(fire?.message.details).toEqual([
      'Đơn vị: ha-noi/ba-dinh',
      'Kỹ thuật viên: Nguyễn Văn Kỹ (0912 345 678)',
      'Đầu mối: Trần Thị Mối (0987 654 321)',
    ]);
    expect(ok?.message).toMatchObject({
      id: fire?.message.id,
      state: 'resolved',
      summary: 'Điểm cầu UBND xã A đã sẵn sàng trở lại',
    });
    expect(ok?.key).toBe(`${fire?.message.id}:resolved`);
    const log = await store.alerts.log({ unitPrefix: '', limit: 10 });
    expect(log.map((l) => [l.state, l.delivery, l.channel])).toEqual([
      ['resolved', 'sent', 'hook'],
      ['firing', 'sent', 'hook'],
    ]);
  });

  it('in English for a channel with lang: en', async () => {
    store.alerts.config = config({}, { lang: 'en' });
    start();
    await upload('not-ready');
    await hook.waitFor(() => hook.processed.size === 1);
    expect(hook.requests[0]?.message.summary).toBe(
      'UBND xã A is NOT READY for meetings: sip-port, mcu-ping failed',
    );
    expect(hook.requests[0]?.message.details[1]).toBe('Technician: Nguyễn Văn Kỹ (0912 345 678)');
  });

  it('retries a 500 and a receiver that never answers, with backoff, until delivered', async () => {
    store.alerts.config = config();
    hook.failNext(2, 500);
    start();
    await upload('not-ready');
    await hook.waitFor(() => hook.processed.size === 1);
    expect(hook.requests).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 200));
    let [entry] = await store.alerts.log({ unitPrefix: '', limit: 1 });
    expect(entry).toMatchObject({ delivery: 'sent', attempts: 3 });
    hook.hang = true;
    await upload('ready');
    await hook.waitFor(() => hook.requests.length >= 5);
    [entry] = await store.alerts.log({ unitPrefix: '', limit: 1 });
    expect(entry?.error).toBe('no answer within 400 ms');
    hook.hang = false;
    await hook.waitFor(() => hook.processed.size === 2);
  });

  it('a secret missing from the environment: retried, the variable named, the secret never in the log', async () => {
    store.alerts.config = config();
    start({});
    await upload('not-ready');
    const entry = await firstFailure();
    expect(entry).toMatchObject({
      delivery: 'pending',
      error: 'environment variable HOOK_SECRET is not set',
    });
    expect(hook.requests).toHaveLength(0);
    expect(JSON.stringify(await store.alerts.log({ unitPrefix: '', limit: 10 }))).not.toContain(SECRET);
  });

  it('a secret whose value does not fit the kind: retried, the field named, the value never in the log', async () => {
    const short = 'short-secret-9';
    const strict = {
      ...webhookKind,
      schema: Type.Object({ url: Type.String(), secret: Type.String({ minLength: 16 }) }),
    };
    store.alerts.config = config();
    start({ HOOK_SECRET: short }, undefined, async (k) => (k === 'webhook' ? strict : testLookup(k)));
    await upload('not-ready');
    const entry = await firstFailure();
    expect(entry?.delivery).toBe('pending');
    expect(entry?.error).toMatch(/^channel hook: \/secret: /);
    expect(hook.requests).toHaveLength(0);
    expect(JSON.stringify(await store.alerts.log({ unitPrefix: '', limit: 10 }))).not.toContain(short);
  });

  it('holds a message in quiet hours until they end; a critical incident goes at once', async () => {
    // 23:00 in Hà Nội.
    const night = Date.parse('2026-11-25T16:00:00Z');
    store.alerts.config = {
      channels: config().channels,
      rules: [
        {
          id: 'down',
          event: 'site-not-ready',
          channels: ['hook'],
          quiet: { from: '22:00', to: '06:00', tz: 'Asia/Ho_Chi_Minh' },
        },
        { id: 'inc', event: 'incident-filed', channels: ['hook'], quiet: { from: '22:00', to: '06:00' } },
      ],
    };
    await store.ingestRun(
      run({
        siteId: 'xa-a',
        verdict: 'not-ready',
        startedMs: night,
        finishedMs: night + 1000,
        receivedMs: night + 2000,
      }),
      idem(),
    );
    await store.createIncident(
      incident({ siteId: 'xa-a', unit: 'ha-noi/ba-dinh', severity: 'critical', createdMs: night + 3000 }),
      idem(),
    );
    const log = await store.alerts.log({ unitPrefix: '', limit: 10 });
    const down = log.find((l) => l.rule === 'down');
    const inc = log.find((l) => l.rule === 'inc');
    // 06:00 in Hà Nội is 23:00 UTC.
    expect(down?.nextAt).toBe('2026-11-25T23:00:00.000Z');
    expect(inc?.nextAt).toBe(new Date(night + 3000).toISOString());
    start({ HOOK_SECRET: SECRET }, () => night + 10_000);
    await hook.waitFor(() => hook.processed.size === 1);
    expect(hook.requests[0]?.message.event).toBe('incident-filed');
    expect(hook.requests[0]?.message.summary).toContain('nghiêm trọng');
  });

  it('collects a rule with digest into one daily message', async () => {
    const morning = Date.parse('2026-11-25T00:00:00Z'); // 07:00 in Hà Nội
    store.alerts.config = config({ digest: '07:30' });
    for (const id of ['xa-a', 'xa-b', 'xa-c'])
      await store.ingestRun(
        run({
          siteId: id,
          verdict: 'not-ready',
          startedMs: morning,
          finishedMs: morning + 1000,
          receivedMs: morning,
        }),
        idem(),
      );
    const log = await store.alerts.log({ unitPrefix: '', limit: 10 });
    expect(log.map((l) => [l.delivery, l.nextAt])).toEqual(
      Array(3).fill(['digest', '2026-11-25T00:30:00.000Z']),
    );
    let clock = morning + 60_000;
    start({ HOOK_SECRET: SECRET }, () => clock);
    await new Promise((r) => setTimeout(r, 300));
    expect(hook.requests).toHaveLength(0);
    clock = morning + 31 * 60_000;
    worker?.wake();
    await hook.waitFor(() => hook.processed.size === 1);
    expect(hook.requests[0]?.message.summary).toBe('Tổng hợp trong ngày: 3 cảnh báo');
    expect(hook.requests[0]?.message.details).toHaveLength(3);
    // The worker records the outcome after the receiver answered: wait for it (bounded).
    let states: string[] = [];
    for (let i = 0; i < 100; i++) {
      states = (await store.alerts.log({ unitPrefix: '', limit: 10 })).map((l) => l.delivery);
      if (states.every((d) => d === 'sent')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(states).toEqual(['sent', 'sent', 'sent']);
  });
});
