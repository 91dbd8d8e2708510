/**
 * Two registries, one PostgreSQL: two `registry serve` child processes of the
 * built CLI share a real database, as stateless nodes behind a load balancer
 * do (docs/operations.md, scale-out). Proven here:
 *   (a) the same upload (same Idempotency-Key) through both at once is stored
 *       once and both get the same answer;
 *   (b) readiness and incidents read the same through either node;
 *   (c) SIGKILL of one node mid-burst loses nothing it acknowledged, and the
 *       unanswered uploads, sent again with their keys through the other node
 *       (as the outbox does), are stored exactly once.
 */
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, IncidentList } from '../../src/model/incident.js';
import type { Readiness } from '../../src/model/report.js';
import type { RunAccepted } from '../../src/model/run.js';
import { createToken } from '../../src/registry/auth.js';
import { openPostgres } from '../../src/registry/store/postgres.js';
import { havePeer } from '../helpers/peers.js';
import { type BuiltCli, buildCli, spawnBuilt } from './built.js';
import { incidentBody, newKey, runBody } from './fixtures.js';
import { tempDir } from './live.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';

const HAVE = havePeer(INITDB, 'apt install postgresql');

interface Node {
  url: string;
  child: ChildProcess;
  stderr: () => string;
}

async function serve(cli: BuiltCli, dir: string, db: string): Promise<Node> {
  const child = spawnBuilt(cli, ['registry', 'serve', '--db', db, '--port', '0'], { cwd: dir, env: {} });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  for (let i = 0; i < 400 && !/listening on (\S+)/.test(stderr); i++) {
    if (child.exitCode !== null) throw new Error(`registry exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = /listening on (\S+)/.exec(stderr);
  if (!m) throw new Error(`registry did not start: ${stderr}`);
  return { url: m[1] as string, child, stderr: () => stderr };
}

describe.skipIf(!HAVE)('two registry processes on one PostgreSQL', () => {
  let cli: BuiltCli;
  let server: TestPostgres;
  let db: string;
  let token: string;
  let a: Node;
  let b: Node;
  let sql: pg.Client;
  const agent = new Agent({ connections: 32, keepAliveTimeout: 4000 });

  const call = async <T>(
    node: Node,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    key?: string,
  ): Promise<{ status: number; body: T; replayed: boolean }> => {
    const res = await request(node.url + path, {
      method,
      dispatcher: agent,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      body: (text ? JSON.parse(text) : undefined) as T,
      replayed: res.headers['idempotent-replayed'] === 'true',
    };
  };
  const count = async (query: string): Promise<number> =>
    Number(((await sql.query(query)).rows[0] as { n: string }).n);

  beforeAll(async () => {
    cli = buildCli();
    server = await startPostgres();
    db = await freshDatabase(server.url, 'twonodes');
    const store = await openPostgres(db);
    ({ token } = await createToken(store, { role: 'admin', unit: '', label: 'tw', nowMs: Date.now() }));
    await store.close();
    const dir = tempDir('twonodes');
    [a, b] = await Promise.all([serve(cli, dir, db), serve(cli, dir, db)]);
    sql = new pg.Client({ connectionString: db });
    await sql.connect();
  }, 180_000);

  afterAll(async () => {
    await sql?.end().catch(() => {});
    await agent.close();
    for (const n of [a, b])
      if (n && n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGKILL');
    server?.stop();
    cli?.remove();
  });

  it('(a) the same upload through both nodes at once: one row, one answer', async () => {
    const K = 40;
    const runs = Array.from({ length: K }, (_, i) => ({
      key: newKey('dup-run'),
      body: runBody({
        siteId: `dup-${i % 8}`,
        unit: 'thanh-hoa/dup',
        startedAt: new Date(Date.UTC(2026, 10, 25, 1, i)).toISOString(),
      }),
    }));
    const incidents = Array.from({ length: K }, (_, i) => ({
      key: newKey('dup-inc'),
      body: incidentBody({
        site: { id: `dup-${i % 8}`, name: `Site dup-${i % 8}`, unit: 'thanh-hoa/dup' },
        summary: `dup ${i}`,
      }),
    }));
    const [runAnswers, incAnswers] = await Promise.all([
      Promise.all(
        runs.map(({ key, body }) =>
          Promise.all([a, b].map((n) => call<RunAccepted>(n, 'POST', '/v1/runs', body, key))),
        ),
      ),
      Promise.all(
        incidents.map(({ key, body }) =>
          Promise.all([a, b].map((n) => call<Incident>(n, 'POST', '/v1/incidents', body, key))),
        ),
      ),
    ]);
    for (const pair of [...runAnswers, ...incAnswers]) {
      expect(pair.map((r) => r.status)).toEqual([201, 201]);
      expect(pair[0]?.body).toEqual(pair[1]?.body);
      // One of the two stored it, the other replayed its answer.
      expect(pair.filter((r) => r.replayed)).toHaveLength(1);
    }
    expect(
      await count(
        `SELECT count(*) AS n FROM runs r JOIN sites s USING (site_id) WHERE s.unit = 'thanh-hoa/dup'`,
      ),
    ).toBe(K);
    expect(await count(`SELECT count(*) AS n FROM incidents WHERE unit = 'thanh-hoa/dup'`)).toBe(K);
  }, 60_000);

  it('(b) readiness and incidents read the same through either node', async () => {
    const [ra, rb] = await Promise.all(
      [a, b].map((n) => call<Readiness>(n, 'GET', '/v1/reports/readiness?unit=thanh-hoa')),
    );
    if (!ra || !rb) throw new Error('no answer');
    expect([ra.status, rb.status]).toEqual([200, 200]);
    const { generatedAt: _ga, staleBefore: _sa, ...restA } = ra.body;
    const { generatedAt: _gb, staleBefore: _sb, ...restB } = rb.body;
    expect(restA).toEqual(restB);
    expect(restA.counts.sites).toBe(
      await count(`SELECT count(*) AS n FROM sites WHERE unit LIKE 'thanh-hoa/%'`),
    );
    const [ia, ib] = await Promise.all(
      [a, b].map((n) => call<IncidentList>(n, 'GET', '/v1/incidents?unit=thanh-hoa&limit=500')),
    );
    expect(ia?.body.items.map((i) => i.id)).toEqual(ib?.body.items.map((i) => i.id));
    expect(ia?.body.items).toHaveLength(await count('SELECT count(*) AS n FROM incidents'));
  });

  it('(c) SIGKILL of one node mid-burst loses nothing acknowledged, stores nothing twice', async () => {
    const N = 600;
    const jobs = Array.from({ length: N }, (_, i) => ({
      i,
      key: newKey('burst'),
      body: runBody({
        siteId: `burst-${i % 30}`,
        unit: 'thanh-hoa/burst',
        startedAt: new Date(Date.UTC(2026, 10, 20) + i * 1000).toISOString(),
      }),
    }));
    const acked = new Map<string, number>();
    const unanswered: typeof jobs = [];
    let ackedByB = 0;
    let killedAt = -1;
    let next = 0;
    const worker = async (w: number) => {
      for (let j = next++; j < N; j = next++) {
        const job = jobs[j] as (typeof jobs)[number];
        const node = w % 2 === 0 ? a : b;
        try {
          const r = await call<RunAccepted>(node, 'POST', '/v1/runs', job.body, job.key);
          if (r.status === 201) {
            acked.set(job.key, r.body.id);
            if (node === b && ++ackedByB === 100) {
              killedAt = acked.size;
              b.child.kill('SIGKILL');
            }
          } else unanswered.push(job);
        } catch {
          unanswered.push(job);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
    expect(killedAt).toBeGreaterThan(0);
    const ackedFirst = acked.size;
    // What a client does with an upload that got no answer: the same request, same key, again.
    let replayed = 0;
    for (const job of unanswered) {
      const r = await call<RunAccepted>(a, 'POST', '/v1/runs', job.body, job.key);
      expect(r.status).toBe(201);
      if (r.replayed) replayed += 1;
      acked.set(job.key, r.body.id);
    }
    const rows = (
      await sql.query(
        `SELECT r.id, i.key FROM runs r JOIN idempotency i ON i.run_id = r.id WHERE r.site_id LIKE 'burst-%'`,
      )
    ).rows as Array<{ id: number | string; key: string }>;
    const stored = new Map(rows.map((r) => [r.key, Number(r.id)]));
    const duplicated =
      (await count(`SELECT count(*) AS n FROM runs WHERE site_id LIKE 'burst-%'`)) -
      (await count(
        `SELECT count(DISTINCT (site_id, started_ms)) AS n FROM runs WHERE site_id LIKE 'burst-%'`,
      ));
    let lost = 0;
    for (const [key, id] of acked) if (stored.get(key) !== id) lost += 1;
    console.log(
      `two registries, one PostgreSQL: sent ${N}, acknowledged ${ackedFirst} (node B killed after ${killedAt}), ` +
        `unanswered ${unanswered.length} (sent again: ${replayed} had been stored before the kill), ` +
        `stored ${stored.size}, lost ${lost}, duplicated ${duplicated}`,
    );
    expect(lost).toBe(0);
    expect(stored.size).toBe(N);
    expect(duplicated).toBe(0);
    // The surviving node still answers readiness for every burst site.
    const r = await call<Readiness>(a, 'GET', '/v1/reports/readiness?unit=thanh-hoa/burst');
    expect(r.body.counts.sites).toBe(30);
  }, 120_000);
});
