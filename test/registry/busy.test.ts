/**
 * SQLite busy: another process (here, another connection) holds the
 * database's write lock, as `registry token create` does for a moment. The
 * registry retries briefly, then answers 503 with Retry-After in the
 * documented error shape, never 500; the admin command waits for the lock.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import { run } from '../helpers/cli.js';
import { post, runBody, type TestApp, testApp } from './fixtures.js';
import { tempDir } from './live.js';

/** Take the write lock on `file` and keep it for `ms`. */
function holdWriteLock(file: string, ms: number): Promise<void> {
  const other = new Database(file);
  other.exec(
    "BEGIN IMMEDIATE; INSERT INTO tokens (hash, role, unit, label, created_ms) VALUES ('x', 'viewer', 'a', 'x', 0)",
  );
  return new Promise((resolve) =>
    setTimeout(() => {
      other.exec('COMMIT');
      other.close();
      resolve();
    }, ms),
  );
}

describe('a live SQLite registry while another process writes', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.app.close();
    t = undefined;
  });

  const upload = (key?: string) =>
    (t as TestApp).app.inject({
      method: 'POST',
      url: '/v1/runs',
      headers: post((t as TestApp).tokens.tech, key),
      payload: runBody() as object,
    });

  it('waits out a short lock and stores the upload (201)', async () => {
    const file = path.join(tempDir('busy'), 'reg.db');
    t = await testApp(await openSqlite(file));
    const held = holdWriteLock(file, 300);
    const started = Date.now();
    const r = await upload();
    expect(r.statusCode).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await held;
  });

  it('answers 503 with Retry-After for a long lock, while `token create` waits for it and succeeds', async () => {
    const dir = tempDir('busy');
    const file = path.join(dir, 'reg.db');
    t = await testApp(await openSqlite(file));
    const held = holdWriteLock(file, 1800);
    const health = t.app.inject({ method: 'GET', url: '/v1/health' });
    const [r, created] = await Promise.all([
      upload('busy-key'),
      run(['registry', 'token', 'create', '--role', 'viewer', '--unit', 'hue', '--db', file], { cwd: dir }),
    ]);
    expect(r.statusCode).toBe(503);
    expect(r.headers['retry-after']).toBe('2');
    expect(r.json()).toEqual({
      error: { code: 'busy', message: 'the registry database is busy; try again in a moment' },
    });
    // The event loop was never blocked for the whole wait: health answered meanwhile.
    expect((await health).statusCode).toBe(200);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^dct_/);
    await held;
    // Nothing was half-written: the same key goes through once the lock is gone.
    const again = await upload('busy-key');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });
});
