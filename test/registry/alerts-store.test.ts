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
