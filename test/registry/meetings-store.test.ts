/**
 * The meeting store conformance on both engines: SQLite (two connections on
 * one WAL file) and a real PostgreSQL (two pools on one database).
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
import { meetingConformance, record } from './meetings.conformance.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';
import { run } from './store.conformance.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-meetings-'));
let n = 0;
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
meetingConformance('sqlite', async () => {
  const file = path.join(tmp, `m${++n}.db`);
  return [await openSqlite(file), await openSqlite(file)];
});

describe.skipIf(!havePeer(INITDB, 'apt install postgresql'))('postgres', () => {
  let pg: TestPostgres | undefined;
  let db = 0;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.stop());
  meetingConformance('postgres', async () => {
    const url = await freshDatabase((pg as TestPostgres).url, `meet_${++db}`);
    return [await openPostgres(url), await openPostgres(url)];
  });
});

/** A database of the version before the meeting register, with sites and runs in it, upgraded. */
async function expectMigrated(store: Store): Promise<void> {
  expect((await store.listRuns({ siteId: 'site-a', limit: 10 })).map((r) => r.verdict)).toEqual([
    'not-ready',
  ]);
  const r = await store.createMeeting(
    { record: record({ participants: { sites: ['site-a'] } }), allowClash: false, by: 'vp', atMs: 0 },
    { key: 'migrated-1', fingerprint: 'fp' },
  );
  expect(r.kind).toBe('created');
  expect((await store.sitesOf(['site-a'], [])).map((s) => s.id)).toEqual(['site-a']);
}

describe('the meeting register migration keeps what was there', () => {
  it('on SQLite', async () => {
    const file = path.join(tmp, 'v4.db');
    const old = await openSqlite(file);
    await old.ingestRun(run(), { key: 'v4-run', fingerprint: 'fp' });
    // Back to the version before the meeting register (7).
    old.handle.exec(`${sqliteDownTo(6)} PRAGMA user_version = 6`);
    await old.close();
    const up = await openSqlite(file);
    try {
      expect(up.handle.pragma('user_version', { simple: true })).toBe(LATEST);
      await expectMigrated(up);
    } finally {
      await up.close();
    }
  });

  it.skipIf(!havePeer(INITDB, 'apt install postgresql'))('on PostgreSQL', async () => {
    const server = await startPostgres();
    try {
      const url = await freshDatabase(server.url, 'migrate_v5');
      const old = await openPostgres(url);
      await old.ingestRun(run(), { key: 'v4-run', fingerprint: 'fp' });
      await old.pool.query(pgDownTo(6));
      await old.close();
      const up = await openPostgres(url);
      try {
        expect((await up.pool.query('SELECT max(version) AS v FROM schema_version')).rows[0]).toEqual({
          v: LATEST,
        });
        await expectMigrated(up);
      } finally {
        await up.close();
      }
    } finally {
      server.stop();
    }
  });
});
