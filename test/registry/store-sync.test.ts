/**
 * SQLite ingest durability with the fsync off the event loop (src/registry/store/sqlite.ts):
 * an upload is answered only after an fdatasync of the WAL that started after its commit,
 * a failed fdatasync is a failed upload, and every other write keeps synchronous=FULL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import { run } from './store.conformance.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-sync-'));
let n = 0;
const file = () => path.join(tmp, `s${++n}.db`);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

type Sync = (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => void;

/** fdatasync held until released by the test; each call is recorded. */
function holdSyncs() {
  const calls: Array<() => void> = [];
  const fail: Array<(err: NodeJS.ErrnoException) => void> = [];
  const real = fs.fdatasync as unknown as Sync;
  vi.spyOn(fs, 'fdatasync').mockImplementation(((fd, cb) => {
    calls.push(() => real(fd, cb));
    fail.push((err) => cb(err));
  }) as Sync as typeof fs.fdatasync);
  return { calls, fail };
}

describe('sqlite: ingest answered after the WAL is synced', () => {
  it('answers an upload only once the fdatasync after its commit is done', async () => {
    const store = await openSqlite(file());
    const syncs = holdSyncs();
    let answered = false;
    const upload = store.ingestRun(run({ siteId: 'a' }), { key: 'k1', fingerprint: 'f' }).then((r) => {
      answered = true;
      return r;
    });
    await vi.waitFor(() => expect(syncs.calls.length).toBe(1));
    // Committed (another connection sees the run) but not yet acknowledged.
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    (syncs.calls[0] as () => void)();
    expect((await upload).kind).toBe('created');
    vi.restoreAllMocks();
    await store.close();
  });

  it('a commit made while a sync is in flight waits for the next sync', async () => {
    const store = await openSqlite(file());
    const syncs = holdSyncs();
    const first = store.ingestRun(run({ siteId: 'a' }), { key: 'k1', fingerprint: 'f' });
    await vi.waitFor(() => expect(syncs.calls.length).toBe(1));
    let secondDone = false;
    const second = store.ingestRun(run({ siteId: 'b' }), { key: 'k2', fingerprint: 'f' }).then((r) => {
      secondDone = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 20));
    (syncs.calls[0] as () => void)();
    expect((await first).kind).toBe('created');
    // The first sync may have started before the second commit: the second needs its own.
    await vi.waitFor(() => expect(syncs.calls.length).toBe(2));
    expect(secondDone).toBe(false);
    (syncs.calls[1] as () => void)();
    expect((await second).kind).toBe('created');
    vi.restoreAllMocks();
    await store.close();
  });

  it('a failed fdatasync fails the upload; sent again with its key, it is a replay', async () => {
    const store = await openSqlite(file());
    const syncs = holdSyncs();
    const upload = store.ingestRun(run({ siteId: 'a' }), { key: 'k1', fingerprint: 'f' });
    await vi.waitFor(() => expect(syncs.calls.length).toBe(1));
    (syncs.fail[0] as (err: NodeJS.ErrnoException) => void)(
      Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }),
    );
    await expect(upload).rejects.toThrow(/EIO/);
    vi.restoreAllMocks();
    const again = await store.ingestRun(run({ siteId: 'a' }), { key: 'k1', fingerprint: 'f' });
    expect(again.kind).toBe('replay');
    await store.close();
  });

  it('leaves synchronous=FULL for every other write, and closes after the last sync', async () => {
    const f = file();
    const store = await openSqlite(f);
    expect((await store.ingestRun(run({ siteId: 'a' }), { key: 'k0', fingerprint: 'f' })).kind).toBe(
      'created',
    );
    expect(store.handle.pragma('synchronous', { simple: true })).toBe(2); // FULL
    const pending = store.ingestRun(run({ siteId: 'a' }), { key: 'k1', fingerprint: 'f' });
    await store.close();
    expect((await pending).kind).toBe('created');
    expect(store.handle.open).toBe(false);
    const again = await openSqlite(f);
    expect((again.handle.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBe(2);
    await again.close();
  });
});
