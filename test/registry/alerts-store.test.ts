/** The alert area of the store on both engines: SQLite and a real PostgreSQL. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { openPostgres } from '../../src/registry/store/postgres.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import { havePeer } from '../helpers/peers.js';
import { alertConformance } from './alerts.conformance.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';

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
});
