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

/** Undo migrations 9 (alerts), 8 (site register), 7 (meetings), 6 (call states), 5 (meeting tag), 4 (site moves) and 3 (token lifecycle): what older databases look like. */
const ALERT_TABLES = [
  'alert_rules',
  'alert_channels',
  'alert_state',
  'alert_events',
  'alert_deliveries',
  'maintenance',
];
const SQLITE_V9_DOWN = ALERT_TABLES.map((t) => `DROP TABLE ${t};`).join(' ');
const SQLITE_V8_DOWN =
  'DROP INDEX incidents_open; ALTER TABLE sites DROP COLUMN retired_ms; ALTER TABLE sites DROP COLUMN retired_by; ALTER TABLE sites DROP COLUMN retired_note;';
const SQLITE_V7_DOWN =
  'DROP TABLE meetings; DROP TABLE meeting_sites; DROP TABLE meeting_units; DROP TABLE meeting_events; DROP TABLE notice_rules;';
const SQLITE_V6_DOWN = 'DROP TABLE call_states;';
const SQLITE_V5_DOWN = 'DROP INDEX runs_meeting; ALTER TABLE runs DROP COLUMN meeting_id;';
const SQLITE_V4_DOWN = `${SQLITE_V9_DOWN} ${SQLITE_V8_DOWN} ${SQLITE_V7_DOWN} ${SQLITE_V6_DOWN} ${SQLITE_V5_DOWN} DROP TABLE site_moves;`;
const SQLITE_V3_DOWN =
  'ALTER TABLE tokens DROP COLUMN last_used_ms; ALTER TABLE tokens DROP COLUMN expires_ms; ALTER TABLE tokens DROP COLUMN revoked_ms;';

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
      `${SQLITE_V4_DOWN} ${SQLITE_V3_DOWN} DROP INDEX runs_site_time; CREATE INDEX runs_site_time ON runs (site_id, started_ms); PRAGMA user_version = 1`,
    );
    await v1.close();
    const v2 = await openSqlite(file);
    try {
      expect(v2.handle.pragma('user_version', { simple: true })).toBe(9);
      const cols = v2.handle.prepare(`SELECT name FROM pragma_index_info('runs_site_time')`).pluck().all();
      expect(cols).toEqual(['site_id', 'started_ms', 'verdict']);
      await expectUpgraded(v2);
    } finally {
      await v2.close();
    }
  });

  it('version 5 (the site register) keeps the entries and incidents of version 4', async () => {
    const file = path.join(dir, 'r5.db');
    const v4 = await openSqlite(file);
    await seedRegister(v4);
    v4.handle.exec(`${SQLITE_V5_DOWN} PRAGMA user_version = 4`);
    await v4.close();
    const up = await openSqlite(file);
    try {
      expect(up.handle.pragma('user_version', { simple: true })).toBe(5);
      await expectRegisterUpgraded(up);
    } finally {
      await up.close();
    }
  });

  it('version 3 adds the token lifecycle, keeping the tokens', async () => {
    const file = path.join(dir, 'r3.db');
    const v3 = await openSqlite(file);
    const { id } = await seedToken(v3);
    v3.handle.exec(`${SQLITE_V4_DOWN} ${SQLITE_V3_DOWN} PRAGMA user_version = 2`);
    await v3.close();
    const up = await openSqlite(file);
    try {
      expect(up.handle.pragma('user_version', { simple: true })).toBe(9);
      await expectTokensUpgraded(up, id);
    } finally {
      await up.close();
    }
  });
});

const PG_V9_DOWN = `${SQLITE_V9_DOWN} DELETE FROM schema_version WHERE version = 9;`;
const PG_V8_DOWN =
  'DROP INDEX incidents_open; ALTER TABLE sites DROP COLUMN retired_ms, DROP COLUMN retired_by, DROP COLUMN retired_note; DELETE FROM schema_version WHERE version = 8;';
const PG_V7_DOWN =
  'DROP TABLE meetings, meeting_sites, meeting_units, meeting_events, notice_rules; DELETE FROM schema_version WHERE version = 7;';
const PG_V6_DOWN = 'DROP TABLE call_states; DELETE FROM schema_version WHERE version = 6;';
const PG_V5_DOWN =
  'DROP INDEX runs_meeting; ALTER TABLE runs DROP COLUMN meeting_id; DELETE FROM schema_version WHERE version = 5;';
const PG_V4_DOWN = `${PG_V9_DOWN} ${PG_V8_DOWN} ${PG_V7_DOWN} ${PG_V6_DOWN} ${PG_V5_DOWN} DROP TABLE site_moves; DELETE FROM schema_version WHERE version = 4;`;
const PG_V3_DOWN =
  'ALTER TABLE tokens DROP COLUMN last_used_ms, DROP COLUMN expires_ms, DROP COLUMN revoked_ms; DELETE FROM schema_version WHERE version = 3;';

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
      `${PG_V4_DOWN} ${PG_V3_DOWN} DROP INDEX runs_site_time; CREATE INDEX runs_site_time ON runs (site_id, started_ms); DELETE FROM schema_version WHERE version = 2`,
    );
    await v1.close();
    const v2 = await openPostgres(url);
    try {
      const { rows } = await v2.pool.query(
        `SELECT pg_get_indexdef('runs_site_time'::regclass) AS def, (SELECT max(version) FROM schema_version) AS v`,
      );
      expect(rows[0]).toMatchObject({ v: 9 });
      expect(rows[0].def).toContain('(site_id, started_ms, verdict)');
      await expectUpgraded(v2);
    } finally {
      await v2.close();
    }
  });

  it('version 5 (the site register) keeps the entries and incidents of version 4', async () => {
    const url = await freshDatabase((pg as TestPostgres).url, 'migrate_v5');
    const v4 = await openPostgres(url);
    await seedRegister(v4);
    await v4.pool.query(PG_V5_DOWN);
    await v4.close();
    const up = await openPostgres(url);
    try {
      const { rows } = await up.pool.query('SELECT max(version) AS v FROM schema_version');
      expect(rows[0]).toEqual({ v: 5 });
      await expectRegisterUpgraded(up);
    } finally {
      await up.close();
    }
  });

  it('version 3 adds the token lifecycle, keeping the tokens', async () => {
    const url = await freshDatabase((pg as TestPostgres).url, 'migrate_v3');
    const v3 = await openPostgres(url);
    const { id } = await seedToken(v3);
    await v3.pool.query(`${PG_V4_DOWN} ${PG_V3_DOWN}`);
    await v3.close();
    const up = await openPostgres(url);
    try {
      const { rows } = await up.pool.query('SELECT max(version) AS v FROM schema_version');
      expect(rows[0]).toEqual({ v: 9 });
      await expectTokensUpgraded(up, id);
    } finally {
      await up.close();
    }
  });
});
