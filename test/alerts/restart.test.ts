/**
 * Restart-safe delivery (docs/alerts.md, delivery guarantee): a registry
 * process is SIGKILLed while its webhook deliveries are in flight (the
 * receiver has taken them but not answered), then started again on the same
 * SQLite file. Every alert reaches the idempotent receiver exactly once by
 * Idempotency-Key; the ones cut off are sent again (repeats the receiver
 * drops), none is lost.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/registry/auth.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import { type BuiltCli, buildCli } from '../registry/built.js';
import { newKey, runBody } from '../registry/fixtures.js';
import { tempDir } from '../registry/live.js';
import { alertsFile, killed, type Node, post, serveWithHook } from './child.js';
import { type Receiver, startReceiver } from './receiver.js';

const SECRET = 'kill-test-secret';

describe('alert delivery survives SIGKILL of the registry', () => {
  let cli: BuiltCli;
  let hook: Receiver;
  let node: Node | undefined;
  beforeAll(async () => {
    cli = buildCli();
    hook = await startReceiver(SECRET);
  }, 180_000);
  afterAll(async () => {
    if (node) await killed(node);
    await hook?.close();
    cli?.remove();
  });

  it('each alert exactly once at the receiver, nothing lost', async () => {
    const dir = tempDir('alert-kill');
    const db = path.join(dir, 'r.db');
    const store = await openSqlite(db);
    const { token } = await createToken(store, {
      role: 'technician',
      unit: 'thanh-hoa',
      label: 'ktv',
      nowMs: Date.now(),
    });
    await store.close();
    const args = ['--db', db, '--alerts', alertsFile(dir, hook.url), '--alert-timeout', '1s'];
    const env = { HOOK_SECRET: SECRET };
    node = await serveWithHook(cli, dir, args, env);
    // The receiver takes each message and answers only after the kill.
    hook.delayMs = 60_000;
    const N = 12;
    for (let i = 0; i < N; i++)
      expect(
        await post(
          node.url,
          token,
          '/v1/runs',
          runBody({ siteId: `xa-${i}`, unit: 'thanh-hoa/a' }),
          newKey('kill'),
        ),
      ).toBe(201);
    await hook.waitFor(() => hook.requests.length >= N);
    await killed(node);
    const before = hook.requests.length;
    hook.delayMs = 0;
    node = await serveWithHook(cli, dir, args, env);
    // The leases of the killed process end (2 × 1 s + 5 s): every delivery is sent again and recorded.
    const sent = () => {
      const sql = new Database(db, { readonly: true });
      try {
        return (
          sql.prepare(`SELECT count(*) AS n FROM alert_deliveries WHERE status = 'sent'`).get() as {
            n: number;
          }
        ).n;
      } finally {
        sql.close();
      }
    };
    await hook.waitFor(() => sent() === N, 30_000);
    expect(hook.processed.size).toBe(N);
    expect(new Set(hook.requests.map((r) => r.key)).size).toBe(N);
    expect(before).toBe(N);
    // The repeats after the restart carried the same keys: the receiver dropped them.
    expect(hook.requests.length).toBe(2 * N);
    expect([...hook.processed.keys()].every((k) => k.endsWith(':firing'))).toBe(true);
    expect(hook.badSignatures).toBe(0);
  }, 90_000);
});
