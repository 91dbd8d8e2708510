/**
 * WAL checkpoints off the event loop (src/registry/store/sqlite-checkpointer.ts,
 * built in dist/; `npm test` builds first): the registry's own connection never
 * checkpoints by itself, the thread copies the WAL back into the database file,
 * and a store whose thread is gone checkpoints as SQLite does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import { run } from './store.conformance.js';

const CHECKPOINTER = path.resolve(__dirname, '../../dist/registry/store/sqlite-checkpointer.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-ckpt-'));
let n = 0;
const file = () => path.join(tmp, `c${++n}.db`);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** About 1.3 MB of runs in batches of 100: under SQLite's own checkpoint point (1,000 pages, 4 MB). */
async function writeRuns(store: Awaited<ReturnType<typeof openSqlite>>, prefix: string, batches = 6) {
  const body = 'x'.repeat(2000);
  for (let b = 0; b < batches; b++)
    await store.ingestRuns(
      Array.from({ length: 100 }, (_, i) => ({
        run: { ...run({ siteId: `${prefix}-${(b * 100 + i) % 300}` }), body },
        idem: { key: `${prefix}-${b}-${i}`, fingerprint: 'f' },
      })),
    );
}

const autocheckpoint = (store: Awaited<ReturnType<typeof openSqlite>>) =>
  store.handle.pragma('wal_autocheckpoint', { simple: true });

describe('sqlite: WAL checkpoints in their own thread', () => {
  it('the thread copies the WAL into the database file while the store keeps writing', async () => {
    expect(fs.existsSync(CHECKPOINTER), `${CHECKPOINTER}: run npm run build first`).toBe(true);
    const f = file();
    const store = await openSqlite(f, { checkpointer: CHECKPOINTER });
    expect(autocheckpoint(store)).toBe(0);
    const before = fs.statSync(f).size;
    await writeRuns(store, 'a');
    expect(store.checkpointerThreadForTests).toBeDefined();
    // Only a checkpoint writes pages into the database file itself.
    await vi.waitFor(() => expect(fs.statSync(f).size).toBeGreaterThan(before + 1_000_000), {
      timeout: 10_000,
      interval: 50,
    });
    await store.close();
    const db = new Database(f, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 600 });
    db.close();
  });

  it('without the thread, the same writes stay in the WAL until SQLite checkpoints by itself', async () => {
    const f = file();
    const store = await openSqlite(f, { checkpointer: false });
    expect(autocheckpoint(store)).toBe(1000);
    const before = fs.statSync(f).size;
    await writeRuns(store, 'b');
    await new Promise((r) => setTimeout(r, 300));
    expect(fs.statSync(f).size).toBeLessThan(before + 500_000);
    expect(store.checkpointerThreadForTests).toBeUndefined();
    await store.close();
  });

  it('a store whose checkpointer exits goes back to SQLite checkpointing by itself', async () => {
    const store = await openSqlite(file(), { checkpointer: CHECKPOINTER });
    await writeRuns(store, 'c');
    const thread = store.checkpointerThreadForTests;
    expect(thread).toBeDefined();
    await thread?.terminate();
    await vi.waitFor(() => expect(autocheckpoint(store)).toBe(1000));
    await writeRuns(store, 'd');
    expect(store.checkpointerThreadForTests).toBeUndefined();
    await store.close();
  });

  it('a checkpointer that falls behind: past 16 MB of WAL the store checkpoints by itself', async () => {
    const f = file();
    const idle = path.resolve(__dirname, '../fixtures/idle-checkpointer.mjs');
    const store = await openSqlite(f, { checkpointer: idle });
    await writeRuns(store, 'e', 120);
    const wal = fs.statSync(`${f}-wal`).size;
    expect(wal).toBeLessThan(16 * 1024 * 1024 + 2_000_000);
    expect(fs.statSync(f).size).toBeGreaterThan(8_000_000);
    await store.close();
  });
});
