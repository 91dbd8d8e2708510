/**
 * The meeting store conformance on both engines: SQLite (two connections on
 * one WAL file) and a real PostgreSQL (two pools on one database).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { openPostgres } from '../../src/registry/store/postgres.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import { havePeer } from '../helpers/peers.js';
import { meetingConformance } from './meetings.conformance.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';

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
