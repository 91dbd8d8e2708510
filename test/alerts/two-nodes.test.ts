/**
 * Two registry processes on one PostgreSQL, both with the same alert rules
 * (docs/alerts.md, two registries): uploads through either node fire alerts
 * that are delivered by exactly one of them. The claim is a row lock taken
 * with FOR UPDATE SKIP LOCKED, not an election: the receiver gets each
 * Idempotency-Key in exactly one request.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/registry/auth.js';
import { openPostgres } from '../../src/registry/store/postgres.js';
import { havePeer } from '../helpers/peers.js';
import { type BuiltCli, buildCli } from '../registry/built.js';
import { newKey, runBody } from '../registry/fixtures.js';
import { tempDir } from '../registry/live.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from '../registry/postgres.js';
import { alertsFile, killed, type Node, post, serveWithHook } from './child.js';
import { type Receiver, startReceiver } from './receiver.js';

const SECRET = 'two-nodes-secret';

describe.skipIf(!havePeer(INITDB, 'apt install postgresql'))(
  'alerts with two registries on one PostgreSQL',
  () => {
    let cli: BuiltCli;
    let server: TestPostgres;
    let hook: Receiver;
    let nodes: Node[] = [];
    let db: string;
    let token: string;
    beforeAll(async () => {
      cli = buildCli();
      server = await startPostgres();
      db = await freshDatabase(server.url, 'alerts2');
      const store = await openPostgres(db);
      ({ token } = await createToken(store, {
        role: 'technician',
        unit: 'thanh-hoa',
        label: 'ktv',
        nowMs: Date.now(),
      }));
      await store.close();
      hook = await startReceiver(SECRET);
      const dir = tempDir('alerts2');
      const args = ['--db', db, '--alerts', alertsFile(dir, hook.url)];
      nodes = await Promise.all([0, 1].map(() => serveWithHook(cli, dir, args, { HOOK_SECRET: SECRET })));
    }, 180_000);
    afterAll(async () => {
      for (const n of nodes) await killed(n);
      await hook?.close();
      server?.stop();
      cli?.remove();
    });

    it('each alert is delivered once, by one of the two', async () => {
      const N = 60;
      // A slow receiver keeps deliveries in flight while both nodes look for due ones.
      hook.delayMs = 50;
      await Promise.all(
        Array.from({ length: N }, (_, i) =>
          post(
            nodes[i % 2]?.url as string,
            token,
            '/v1/runs',
            runBody({ siteId: `xa-${i}`, unit: 'thanh-hoa/b' }),
            newKey('two'),
          ),
        ),
      );
      // The same sites still not ready through the other node: no second alert (dedupe across nodes).
      await Promise.all(
        Array.from({ length: N }, (_, i) =>
          post(
            nodes[(i + 1) % 2]?.url as string,
            token,
            '/v1/runs',
            runBody({ siteId: `xa-${i}`, unit: 'thanh-hoa/b', startedAt: '2026-11-25T01:30:00.000Z' }),
            newKey('two'),
          ),
        ),
      );
      await hook.waitFor(() => hook.processed.size === N, 30_000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(hook.requests).toHaveLength(N);
      expect(new Set(hook.requests.map((r) => r.key)).size).toBe(N);
      const sql = new pg.Client({ connectionString: db });
      await sql.connect();
      try {
        const { rows } = await sql.query(
          `SELECT status, count(*)::int AS n, max(attempts) AS a FROM alert_deliveries GROUP BY status`,
        );
        expect(rows).toEqual([{ status: 'sent', n: N, a: 1 }]);
      } finally {
        await sql.end();
      }
    }, 90_000);
  },
);
