/**
 * Maintenance notices end to end (docs/alerts.md, maintenance windows), on
 * SQLite and a real PostgreSQL: a registry listening on 127.0.0.1 with its
 * delivery worker and the real webhook channel, `diemcau maintenance add
 * --notify` and `maintenance end` run in-process, and a receiver that checks
 * the signature and keeps one copy per Idempotency-Key. A window that starts
 * and ends within the test sends one notice at each; a site down through the
 * window is not alerted again as new afterwards; a window that ends while the
 * registry is down has its notice sent when the registry is back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInChannels } from '../../src/alerts/lookup.js';
import { AlertWorker } from '../../src/alerts/worker.js';
import type { MaintenanceWindow } from '../../src/model/alert-rule.js';
import { openPostgres } from '../../src/registry/store/postgres.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import type { Store } from '../../src/registry/store/types.js';
import { peopleTime } from '../../src/util/local-time.js';
import { run as cli } from '../helpers/cli.js';
import { havePeer } from '../helpers/peers.js';
import { testApp } from '../registry/fixtures.js';
import { tempDir } from '../registry/live.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from '../registry/postgres.js';
import { run } from '../registry/store.conformance.js';
import { type Receiver, startReceiver } from './receiver.js';

const SECRET = 'maintenance-notice-secret';
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const validate = addFormats(new Ajv2020({ strict: true, allErrors: true })).compile(
  JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../docs/schema/alert-1.json'), 'utf8')),
);
const sleepUntil = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms - Date.now())));
const iso = (ms: number) => new Date(ms).toISOString();
let seq = 0;

/** A registry on `store` listening on 127.0.0.1, with its worker; the clock is the real one. */
async function serve(store: Store) {
  const t = await testApp(store);
  Object.defineProperty(t.now, 'ms', { get: () => Date.now() });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address() as { port: number };
  store.alerts.config = await store.alerts.loadConfig();
  const worker = new AlertWorker({
    store,
    lookup: builtInChannels,
    env: { HOOK_SECRET: SECRET },
    source: 'database',
    pollMs: 50,
    tickMs: 100,
    gatherMs: 20,
    timeoutMs: 2000,
  });
  worker.start();
  return {
    url: `http://127.0.0.1:${address.port}`,
    admin: t.tokens.admin,
    stop: async () => {
      await worker.stop();
      await t.app.close();
    },
  };
}

/** `open()` a fresh database; `open(true)` the same one again (a registry restarted). */
function notices(name: string, open: (again?: boolean) => Promise<Store>) {
  describe(`maintenance notices: ${name}`, () => {
    let hook: Receiver;
    beforeAll(async () => {
      hook = await startReceiver(SECRET);
    });
    afterAll(() => hook?.close());

    const prepare = async (store: Store) => {
      await store.alerts.putChannel(
        { id: 'hook', kind: 'webhook', url: hook.url, secret: '${HOOK_SECRET}' },
        Date.now(),
      );
      await store.alerts.putRule({ id: 'down', event: 'site-not-ready', channels: ['hook'] }, Date.now());
      await store.putSite(
        'xa-a',
        {
          name: 'UBND xã A',
          unit: 'thanh-hoa/xa-a',
          technician: { name: 'Lê Văn Tâm', phone: '0912 345 678' },
        },
        Date.now(),
      );
    };
    /** A fresh database with the channel, a rule and a site; its registry; the receiver emptied. */
    const fresh = async () => {
      const store = await open();
      await prepare(store);
      const reg = await serve(store);
      hook.requests.length = 0;
      hook.processed.clear();
      return { store, reg };
    };
    const upload = (store: Store, verdict: 'ready' | 'not-ready') => {
      // Received now: whether a window holds its alert is decided at the upload's arrival.
      const at = Date.now();
      return store.ingestRun(
        run({
          siteId: 'xa-a',
          siteName: 'UBND xã A',
          unit: 'thanh-hoa/xa-a',
          verdict,
          startedMs: at - 1000,
          finishedMs: at,
          receivedMs: at,
        }),
        { key: `mn-${++seq}`, fingerprint: 'fp' },
      );
    };
    const add = async (url: string, admin: string, args: string[]) => {
      const r = await cli(['maintenance', 'add', ...args, '--notify', 'hook', '--format', 'json'], {
        env: { DIEMCAU_REGISTRY: url, DIEMCAU_TOKEN: admin },
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as MaintenanceWindow;
    };

    it('one notice when the window starts, one when it ends; the site down through it is not alerted as new', async () => {
      const { store, reg } = await fresh();
      try {
        const from = Date.now() + 1500;
        const to = from + 3000;
        const w = await add(reg.url, reg.admin, [
          '--site',
          'xa-a',
          '--from',
          iso(from),
          '--to',
          iso(to),
          '--reason',
          'thay MCU',
        ]);
        expect(w).toMatchObject({ site: 'xa-a', state: 'planned', notify: ['hook'] });
        const key = `maintenance/${w.id}`;
        await hook.waitFor(() => hook.processed.has(`${key}:firing`), 10_000);
        const start = hook.processed.get(`${key}:firing`);
        expect(start?.atMs).toBeGreaterThanOrEqual(from);
        // Down during the window: recorded, held.
        await upload(store, 'not-ready');
        await hook.waitFor(() => hook.processed.has(`${key}:resolved`), 10_000);
        const end = hook.processed.get(`${key}:resolved`);
        expect(end?.atMs).toBeGreaterThanOrEqual(to);
        // Still down after it: not a new alert.
        await upload(store, 'not-ready');
        await new Promise((r) => setTimeout(r, 800));
        expect([...hook.processed.keys()]).toEqual([`${key}:firing`, `${key}:resolved`]);
        expect(hook.requests).toHaveLength(2);
        expect(hook.badSignatures).toBe(0);
        for (const m of [start?.message, end?.message])
          expect(validate(m), JSON.stringify(validate.errors)).toBe(true);
        const span = `từ ${peopleTime(iso(from))} đến ${peopleTime(iso(to))}`;
        expect(start?.message).toMatchObject({
          event: 'maintenance',
          state: 'firing',
          lang: 'vi',
          at: iso(from),
          summary: `Bảo trì điểm cầu UBND xã A (xa-a) ${span}: thay MCU`,
          site: { id: 'xa-a', technician: { name: 'Lê Văn Tâm', phone: '0912 345 678' } },
          maintenance: { id: String(w.id), site: 'xa-a', unit: null, reason: 'thay MCU' },
        });
        expect(start?.message.details[0]).toBe(`Lịch bảo trì số ${w.id}: ${span}`);
        expect(end?.message).toMatchObject({
          state: 'resolved',
          at: iso(to),
          summary: `Đã xong bảo trì điểm cầu UBND xã A (xa-a) (${peopleTime(iso(to))}): thay MCU`,
        });
        const log = await store.alerts.log({ unitPrefix: '', limit: 20 });
        expect(log.map((l) => [l.rule, l.state, l.delivery])).toEqual([
          ['maintenance', 'resolved', 'sent'],
          ['down', 'firing', 'held'],
          ['maintenance', 'firing', 'sent'],
        ]);
      } finally {
        await reg.stop();
      }
    }, 30_000);

    it('maintenance end tells at once that it ended early', async () => {
      const { reg } = await fresh();
      try {
        const w = await add(reg.url, reg.admin, [
          '--unit',
          'thanh-hoa',
          '--to',
          iso(Date.now() + 3_600_000),
          '--reason',
          'đổi cáp',
        ]);
        const key = `maintenance/${w.id}`;
        await hook.waitFor(() => hook.processed.has(`${key}:firing`), 10_000);
        const r = await cli(['maintenance', 'end', String(w.id)], {
          env: { DIEMCAU_REGISTRY: reg.url, DIEMCAU_TOKEN: reg.admin, DIEMCAU_LANG: 'en' },
        });
        expect(r.code).toBe(0);
        await hook.waitFor(() => hook.processed.has(`${key}:resolved`), 10_000);
        const end = hook.processed.get(`${key}:resolved`)?.message;
        expect(validate(end), JSON.stringify(validate.errors)).toBe(true);
        expect(end?.summary).toMatch(
          /^Đã kết thúc sớm bảo trì đơn vị thanh-hoa và mọi điểm cầu trực thuộc lúc \d\d:\d\d \d\d\/\d\d\/\d{4} \(dự kiến đến .*\): đổi cáp$/,
        );
        expect(end?.maintenance?.endedAt).not.toBeNull();
        expect(end?.site).toMatchObject({ id: 'thanh-hoa', unit: 'thanh-hoa', technician: null });
      } finally {
        await reg.stop();
      }
    }, 30_000);

    it('a notice due while the registry was down is sent when it starts again', async () => {
      let { store, reg } = await fresh();
      const to = Date.now() + 1500;
      const w = await add(reg.url, reg.admin, ['--site', 'xa-a', '--to', iso(to), '--reason', 'mất điện']);
      const key = `maintenance/${w.id}`;
      await hook.waitFor(() => hook.processed.has(`${key}:firing`), 10_000);
      // The registry stops before the window ends, and stays down past its end.
      await reg.stop();
      await sleepUntil(to + 700);
      expect(hook.processed.has(`${key}:resolved`)).toBe(false);
      store = await open(true);
      reg = await serve(store);
      try {
        await hook.waitFor(() => hook.processed.has(`${key}:resolved`), 10_000);
        await new Promise((r) => setTimeout(r, 500));
        expect(hook.requests.map((q) => q.key)).toEqual([`${key}:firing`, `${key}:resolved`]);
        expect(hook.processed.get(`${key}:resolved`)?.message.at).toBe(iso(to));
      } finally {
        await reg.stop();
      }
    }, 30_000);
  });
}

const dir = tempDir('maint-notice');
let file = '';
let files = 0;
notices('sqlite', async (again) => {
  if (!again) file = path.join(dir, `r${++files}.db`);
  return openSqlite(file);
});

describe.skipIf(!havePeer(INITDB, 'apt install postgresql'))('postgres', () => {
  let pg: TestPostgres | undefined;
  let url = '';
  let n = 0;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(() => pg?.stop());
  notices('postgres', async (again) => {
    if (!again) url = await freshDatabase((pg as TestPostgres).url, `notices_${++n}`);
    return openPostgres(url);
  });
});
