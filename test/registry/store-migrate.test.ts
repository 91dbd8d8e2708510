/**
 * Schema version 2 (the runs index gains the verdict for the daily grid)
 * upgrades a version-1 database with runs in it, and version 3 (token
 * lifecycle: last used, expires, revoked) a version-2 database with tokens in
 * it, on both engines.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/registry/store/postgres.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import type { Store } from '../../src/registry/store/types.js';
import { havePeer } from '../helpers/peers.js';
import { LATEST, pgDownTo, sqliteDownTo } from './downgrade.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';
import { incident, run } from './store.conformance.js';

const T0 = Date.parse('2026-11-25T00:00:00.000Z');

async function seedRuns(store: Store): Promise<void> {
  for (const [i, verdict] of (['ready', 'not-ready'] as const).entries())
    await store.ingestRun(run({ verdict, startedMs: T0 + i * 3_600_000, failing: [] }), {
      key: `migrate-${i}`,
      fingerprint: 'fp',
    });
}

/** A version-4 register entry (technician in `info`) and an open incident, seen through version 5. */
async function seedRegister(store: Store): Promise<void> {
  await store.putSite(
    'site-a',
    { name: 'Site A', unit: 'ha-noi/ba-dinh', technician: { name: 'Lê Văn C', phone: '0987 654 321' } },
    T0,
  );
  await store.createIncident(incident(), { key: 'migrate-inc', fingerprint: 'fp' });
}
async function expectRegisterUpgraded(store: Store): Promise<void> {
  const [row] = await store.readiness('ha-noi');
  expect(row).toMatchObject({
    id: 'site-a',
    technician: 'Lê Văn C',
    phone: '0987 654 321',
    openIncidents: 1,
  });
  expect(
    (await store.retireSite('site-a', { atMs: T0 + 1, by: 'admin', reason: undefined }))?.retired?.by,
  ).toBe('admin');
  expect(await store.readiness('ha-noi')).toEqual([]);
}

async function seedToken(store: Store) {
  return store.createToken({ hash: 'old', role: 'technician', unit: 'ha-noi', label: 'ktv', createdMs: T0 });
}

/** A token made before version 3 still works, has no lifecycle times, and can be revoked and touched. */
async function expectTokensUpgraded(store: Store, id: number): Promise<void> {
  const before = {
    id,
    role: 'technician',
    unit: 'ha-noi',
    label: 'ktv',
    createdAt: new Date(T0).toISOString(),
  };
  expect(await store.findToken('old')).toEqual(before);
  await store.touchTokens(new Map([[id, T0 + 60_000]]));
  expect(await store.revokeToken(id, T0 + 120_000)).toEqual({
    ...before,
    lastUsedAt: new Date(T0 + 60_000).toISOString(),
    revokedAt: new Date(T0 + 120_000).toISOString(),
  });
  const fresh = await store.createToken({
    hash: 'new',
    role: 'viewer',
    unit: 'hue',
    label: 'xem',
    createdMs: T0,
    expiresMs: T0 + 1000,
  });
  expect(fresh.expiresAt).toBe(new Date(T0 + 1000).toISOString());
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
      `${sqliteDownTo(2)} DROP INDEX runs_site_time; CREATE INDEX runs_site_time ON runs (site_id, started_ms); PRAGMA user_version = 1`,
    );
    await v1.close();
    const v2 = await openSqlite(file);
    try {
      expect(v2.handle.pragma('user_version', { simple: true })).toBe(LATEST);
      const cols = v2.handle.prepare(`SELECT name FROM pragma_index_info('runs_site_time')`).pluck().all();
      expect(cols).toEqual(['site_id', 'started_ms', 'verdict']);
      await expectUpgraded(v2);
    } finally {
      await v2.close();
    }
  });

  it('the site register (version 8) keeps the entries and incidents of version 4', async () => {
    const file = path.join(dir, 'r5.db');
    const v4 = await openSqlite(file);
    await seedRegister(v4);
    v4.handle.exec(`${sqliteDownTo(4)} PRAGMA user_version = 4`);
    await v4.close();
    const up = await openSqlite(file);
    try {
      expect(up.handle.pragma('user_version', { simple: true })).toBe(LATEST);
      await expectRegisterUpgraded(up);
    } finally {
      await up.close();
    }
  });

  it('version 3 adds the token lifecycle, keeping the tokens', async () => {
    const file = path.join(dir, 'r3.db');
    const v3 = await openSqlite(file);
    const { id } = await seedToken(v3);
    v3.handle.exec(`${sqliteDownTo(2)} PRAGMA user_version = 2`);
    await v3.close();
    const up = await openSqlite(file);
    try {
      expect(up.handle.pragma('user_version', { simple: true })).toBe(LATEST);
      await expectTokensUpgraded(up, id);
    } finally {
      await up.close();
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
      `${pgDownTo(2)} DROP INDEX runs_site_time; CREATE INDEX runs_site_time ON runs (site_id, started_ms); DELETE FROM schema_version WHERE version = 2`,
    );
    await v1.close();
    const v2 = await openPostgres(url);
    try {
      const { rows } = await v2.pool.query(
        `SELECT pg_get_indexdef('runs_site_time'::regclass) AS def, (SELECT max(version) FROM schema_version) AS v`,
      );
      expect(rows[0]).toMatchObject({ v: LATEST });
      expect(rows[0].def).toContain('(site_id, started_ms, verdict)');
      await expectUpgraded(v2);
    } finally {
      await v2.close();
    }
  });

  it('the site register (version 8) keeps the entries and incidents of version 4', async () => {
    const url = await freshDatabase((pg as TestPostgres).url, 'migrate_v5');
    const v4 = await openPostgres(url);
    await seedRegister(v4);
    await v4.pool.query(pgDownTo(4));
    await v4.close();
    const up = await openPostgres(url);
    try {
      const { rows } = await up.pool.query('SELECT max(version) AS v FROM schema_version');
      expect(rows[0]).toEqual({ v: LATEST });
      await expectRegisterUpgraded(up);
    } finally {
      await up.close();
    }
  });

  it('version 3 adds the token lifecycle, keeping the tokens', async () => {
    const url = await freshDatabase((pg as TestPostgres).url, 'migrate_v3');
    const v3 = await openPostgres(url);
    const { id } = await seedToken(v3);
    await v3.pool.query(pgDownTo(2));
    await v3.close();
    const up = await openPostgres(url);
    try {
      const { rows } = await up.pool.query('SELECT max(version) AS v FROM schema_version');
      expect(rows[0]).toEqual({ v: LATEST });
      await expectTokensUpgraded(up, id);
    } finally {
      await up.close();
    }
  });
});
