/**
 * The PostgreSQL store's ingest beyond the shared conformance suite: a
 * transaction cut into several statements (STATEMENT_RUNS), the bodies sent
 * as one joined parameter, and at most two ingest statements in flight.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresStore } from '../../src/registry/store/postgres.js';
import type { Idem, RunRecord, RunWrite } from '../../src/registry/store/types.js';
import { havePeer } from '../helpers/peers.js';
import { freshDatabase, INITDB, startPostgres, type TestPostgres } from './postgres.js';
import { run } from './store.conformance.js';

let seq = 0;
const idem = (): Idem => ({ key: `pk-${++seq}`, fingerprint: 'fp' });
const w = (over: Partial<RunRecord> = {}): RunWrite => ({ run: run(over), idem: idem() });

describe.skipIf(!havePeer(INITDB, 'apt install postgresql'))('postgres ingest', () => {
  let pg: TestPostgres | undefined;
  let db = 0;
  let store: PostgresStore;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.stop());
  beforeEach(async () => {
    store = (await openPostgres(
      await freshDatabase((pg as TestPostgres).url, `ingest_${++db}`),
    )) as PostgresStore;
  });
  afterEach(async () => {
    await store.close();
  });

  it('a request larger than one statement is one transaction: later statements see the earlier ones', async () => {
    const rows = Array.from({ length: 700 }, (_, i) => w({ siteId: `s-${i}`, unit: 'ha-noi/x' }));
    // The same site early (older) and late (newer, in another statement): the newer is its latest.
    rows[10] = w({ siteId: 'twice', unit: 'ha-noi/x', startedMs: 1_000_000, verdict: 'ready', failing: [] });
    rows[650] = w({ siteId: 'twice', unit: 'ha-noi/x', startedMs: 2_000_000, verdict: 'not-ready' });
    // A site registered in the first statement, claimed by another unit in the third: refused.
    rows[600] = w({ siteId: 's-5', unit: 'ha-noi/elsewhere' });
    const results = await store.ingestRuns(rows);
    expect(results.filter((r) => r.kind === 'created')).toHaveLength(699);
    expect(results[600]).toEqual({ kind: 'conflict', code: 'site_unit_mismatch', detail: 'ha-noi/x' });
    const twice = (await store.readiness('ha-noi/x')).find((r) => r.id === 'twice');
    expect(twice?.verdict).toBe('not-ready');
    expect(await store.listRuns({ siteId: 'twice', limit: 10 })).toHaveLength(2);
    const { rows: commits } = await store.pool.query(
      `SELECT count(*)::int AS n FROM runs r JOIN idempotency i ON i.run_id = r.id WHERE i.key LIKE 'pk-%'`,
    );
    expect(commits[0].n).toBe(699);
  });

  it('a statement that fails after others of its transaction leaves none of the runs', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => w({ siteId: `f-${i}`, unit: 'ha-noi/f' }));
    // Out of an int's range: the database refuses the third statement's parameters.
    rows[550] = w({ siteId: 'f-bad', unit: 'ha-noi/f', durationMs: 2 ** 31 });
    await expect(store.ingestRuns(rows)).rejects.toThrow(/out of range/);
    expect(await store.readiness('ha-noi/f')).toEqual([]);
    const { rows: keys } = await store.pool.query('SELECT count(*)::int AS n FROM idempotency');
    expect(keys[0].n).toBe(0);
  });

  it('bodies go through whole: quotes, backslashes, escaped control characters, Vietnamese', async () => {
    const texts = ['a"b\\c', 'x\u001fy', 'UBND xã Đông Anh', '{"}', ''];
    const rows = texts.map((summary, i) =>
      w({ siteId: `b-${i}`, unit: 'ha-noi/b', body: JSON.stringify({ checks: [], note: summary }) }),
    );
    const results = await store.ingestRuns(rows);
    for (const [i, r] of results.entries()) {
      expect(r.kind).toBe('created');
      const { rows: stored } = await store.pool.query('SELECT body FROM runs WHERE id = $1', [
        (r as { value: { id: number } }).value.id,
      ]);
      expect(stored[0].body).toBe(rows[i]?.run.body);
      expect(JSON.parse(stored[0].body).note).toBe(texts[i]);
    }
  });

  it('a body that holds U+001F raw (not JSON text) is refused before the database', async () => {
    await expect(
      store.ingestRuns([w({ siteId: 'raw', unit: 'ha-noi/r', body: 'a\u001fb' })]),
    ).rejects.toThrow(/U\+001F/);
    expect(await store.readiness('ha-noi/r')).toEqual([]);
  });

  it('at most two ingest statements in flight; uploads arriving meanwhile share the next one', async () => {
    const pool = store.pool;
    const query = pool.query.bind(pool);
    let running = 0;
    let most = 0;
    let statements = 0;
    // Count the ingest statements on the pool (a lone statement goes through pool.query).
    (pool as { query: unknown }).query = async (...args: Parameters<typeof pool.query>) => {
      const config = args[0] as { name?: string };
      if (config?.name !== 'diemcau-ingest-runs') return query(...args);
      statements++;
      running++;
      most = Math.max(most, running);
      try {
        return await query(...args);
      } finally {
        running--;
      }
    };
    // 200 single uploads, one per event-loop turn (as HTTP requests arrive).
    const answers: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      answers.push(store.ingestRun(run({ siteId: `c-${i}`, unit: 'ha-noi/c' }), idem()));
      await new Promise((r) => setImmediate(r));
    }
    const results = (await Promise.all(answers)) as Array<{ kind: string }>;
    expect(results.every((r) => r.kind === 'created')).toBe(true);
    expect(most).toBeLessThanOrEqual(2);
    expect(statements).toBeLessThan(200);
    expect(await store.readiness('ha-noi/c')).toHaveLength(200);
  });
});
