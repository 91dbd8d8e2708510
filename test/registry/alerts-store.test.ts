/** The alert area of the store on both engines: SQLite and a real PostgreSQL. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/registry/store/postgres.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import { havePeer } from '../helpers/peers.js';
import { alertConformance } from './alerts.conformance.js';
import { record } from './meetings.conformance.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';
import { run } from './store.conformance.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-alerts-'));
let n = 0;
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
alertConformance('sqlite', () => openSqlite(path.join(tmp, `a${++n}.db`)));

describe.skipIf(!havePeer(INITDB, 'apt install postgresql'))('postgres', () => {
  let pg: TestPostgres | undefined;
  let db = 0;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.stop());
  alertConformance('postgres', async () =>
    openPostgres(await freshDatabase((pg as TestPostgres).url, `alerts_${++db}`)),
  );

  it('maintenance notices with two registries on one database: each written once, each delivery taken once', async () => {
    const url = await freshDatabase((pg as TestPostgres).url, `alerts_${++db}`);
    const [a, b] = [await openPostgres(url), await openPostgres(url)];
    try {
      const config = { channels: [{ id: 'hook', kind: 'webhook' as const }], rules: [] };
      a.alerts.config = config;
      b.alerts.config = config;
      const t0 = Date.parse('2026-11-25T00:00:00.000Z');
      for (let i = 0; i < 10; i++)
        await a.alerts.addMaintenance(
          {
            unit: `hue/u${i}`,
            from: new Date(t0 + 60_000).toISOString(),
            to: new Date(t0 + 120_000).toISOString(),
            reason: 'thay MCU',
            notify: ['hook'],
          },
          'admin',
          t0,
        );
      let total = 0;
      for (const at of [t0 + 61_000, t0 + 62_000, t0 + 121_000, t0 + 122_000]) {
        const [x, y] = await Promise.all([a.alerts.tick(at), b.alerts.tick(at)]);
        total += x + y;
      }
      expect(total).toBe(20);
      const [da, dbb] = await Promise.all([
        a.alerts.claim('pending', t0 + 130_000, 60_000, 100),
        b.alerts.claim('pending', t0 + 130_000, 60_000, 100),
      ]);
      const ids = [...da, ...dbb].map((d) => d.id);
      expect(ids).toHaveLength(20);
      expect(new Set(ids).size).toBe(20);
      const log = await a.alerts.log({ unitPrefix: '', rule: 'maintenance', limit: 100 });
      expect(log.filter((l) => l.state === 'firing')).toHaveLength(10);
      expect(log.filter((l) => l.state === 'resolved')).toHaveLength(10);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('meeting-at-risk with two registries on one database: each checkpoint acted on once', async () => {
    const url = await freshDatabase((pg as TestPostgres).url, `alerts_${++db}`);
    const [a, b] = [await openPostgres(url), await openPostgres(url)];
    try {
      const config = {
        channels: [{ id: 'hook', kind: 'webhook' as const }],
        rules: [{ id: 'risk', event: 'meeting-at-risk' as const, channels: ['hook'] }],
      };
      a.alerts.config = config;
      b.alerts.config = config;
      const t0 = Date.parse('2026-11-25T00:00:00.000Z');
      const start = t0 + 2 * 3_600_000;
      const sites = Array.from({ length: 20 }, (_, i) => `site-${i}`);
      for (const siteId of sites)
        await a.ingestRun(
          run({ siteId, unit: 'hue/a', verdict: 'not-ready', startedMs: t0, finishedMs: t0, receivedMs: t0 }),
          { key: `two-${siteId}`, fingerprint: 'fp' },
        );
      await a.createMeeting(
        {
          record: record({ startMs: start, endMs: start + 3_600_000, participants: { units: ['hue'] } }),
          allowClash: false,
          by: 'vp',
          atMs: t0,
        },
        { key: 'two-meeting', fingerprint: 'fp' },
      );
      let total = 0;
      for (const at of [start - 3_599_000, start - 3_598_000, start - 899_000, start - 898_000]) {
        const [x, y] = await Promise.all([a.alerts.tick(at), b.alerts.tick(at)]);
        total += x + y;
      }
      expect(total).toBe(40);
      const log = await a.alerts.log({ unitPrefix: '', rule: 'risk', limit: 100 });
      expect(log.filter((l) => !l.reminder)).toHaveLength(20);
      expect(log.filter((l) => l.reminder)).toHaveLength(20);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
