/**
 * Schema version 2 (the runs index gains the verdict for the daily grid)
 * upgrades a version-1 database with runs in it, on both engines.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/registry/store/postgres.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import type { Store } from '../../src/registry/store/types.js';
import { havePeer } from '../helpers/peers.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';
import { run } from './store.conformance.js';

const T0 = Date.parse('2026-11-25T00:00:00.000Z');

async function seedRuns(store: Store): Promise<void> {
  for (const [i, verdict] of (['ready', 'not-ready'] as const).entries())
    await store.ingestRun(run({ verdict, startedMs: T0 + i * 3_600_000, failing: [] }), {
      key: `migrate-${i}`,
      fingerprint: 'fp',
    });
}

async function expectUpgraded(store: Store): Promise<void> {
  expect(await store.daily({ unitPrefix: '', fromMs: T0, days: 1 })).toEqual([
    { id: 'site-a', verdicts: ['not-ready'] },
  ]);
  expect((await store.listRuns({ siteId: 'site-a', limit: 10 })).map((r) => r.verdict)).toEqual([
    'not-ready',
    'ready',
  ]);
}

describe('migration 2 on SQLite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-migrate-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rebuilds runs_site_time with the verdict, keeping the runs', async () => {
    const file = path.join(dir, 'r.db');
    const v1 = await openSqlite(file);
    await seedRuns(v1);
    // Back to version 1: the index as it was shipped.
    v1.handle.exec(
      'DROP INDEX runs_site_time; CREATE INDEX runs_site_time ON runs (site_id, started_ms); DROP TABLE site_moves; PRAGMA user_version = 1',
    );
    await v1.close();
    const v2 = await openSqlite(file);
    try {
      expect(v2.handle.pragma('user_version', { simple: true })).toBe(3);
      const cols = v2.handle.prepare(`SELECT name FROM pragma_index_info('runs_site_time')`).pluck().all();
      expect(cols).toEqual(['site_id', 'started_ms', 'verdict']);
      await expectUpgraded(v2);
    } finally {
      await v2.close();
    }
  });
});

describe.skipIf(!havePeer(INITDB, 'apt install postgresql'))('migration 2 on PostgreSQL', () => {
  let pg: TestPostgres | undefined;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.stop());

  it('rebuilds runs_site_time with the verdict, keeping the runs', async () => {
    const url = await freshDatabase((pg as TestPostgres).url, 'migrate_v2');
    const v1 = await openPostgres(url);
    await seedRuns(v1);
    await v1.pool.query(
      'DROP INDEX runs_site_time; CREATE INDEX runs_site_time ON runs (site_id, started_ms); DROP TABLE site_moves; DELETE FROM schema_version WHERE version >= 2',
    );
    await v1.close();
    const v2 = await openPostgres(url);
    try {
      const { rows } = await v2.pool.query(
        `SELECT pg_get_indexdef('runs_site_time'::regclass) AS def, (SELECT max(version) FROM schema_version) AS v`,
      );
      expect(rows[0]).toMatchObject({ v: 3 });
      expect(rows[0].def).toContain('(site_id, started_ms, verdict)');
      await expectUpgraded(v2);
    } finally {
      await v2.close();
    }
  });
});
