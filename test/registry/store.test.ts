/** The store conformance suite on both engines: SQLite (a WAL file) and a real PostgreSQL. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { openPostgres } from '../../src/registry/store/postgres.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import { havePeer } from '../helpers/peers.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';
import { siteRegisterConformance } from './sites.conformance.js';
import { storeConformance } from './store.conformance.js';
import { batchConformance } from './store-batch.conformance.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-store-'));
let n = 0;
// Before the suite whose teardown removes the temp dir.
batchConformance('sqlite', () => openSqlite(path.join(tmp, `b${++n}.db`)));
storeConformance(
  'sqlite',
  () => openSqlite(path.join(tmp, `r${++n}.db`)),
  () => fs.rmSync(tmp, { recursive: true, force: true }),
);
const tmpSites = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-sites-'));
siteRegisterConformance(
  'sqlite',
  () => openSqlite(path.join(tmpSites, `s${++n}.db`)),
  () => fs.rmSync(tmpSites, { recursive: true, force: true }),
);

describe.skipIf(!havePeer(INITDB, 'apt install postgresql'))('postgres', () => {
  let pg: TestPostgres | undefined;
  let db = 0;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.stop());
  storeConformance('postgres', async () =>
    openPostgres(await freshDatabase((pg as TestPostgres).url, `conf_${++db}`)),
  );
  batchConformance('postgres', async () =>
    openPostgres(await freshDatabase((pg as TestPostgres).url, `conf_${++db}`)),
  );
  siteRegisterConformance('postgres', async () =>
    openPostgres(await freshDatabase((pg as TestPostgres).url, `conf_${++db}`)),
  );
});
