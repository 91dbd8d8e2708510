/** The site register's batch, retire and readiness chunks on PostgreSQL (sites.ts says what each does). */
import type pg from 'pg';
import type { SiteBatchItem } from '../../model/site.js';
import {
  infoOf,
  mergeSite,
  readinessColumns,
  readinessFromArray,
  type SiteRow,
  siteFromRow,
  unitRange,
} from './rows.js';
import type { ReadinessChunk, SiteBatchOutcome, SiteRetire } from './sites.js';
import type { ReadinessRow, SiteGuard } from './types.js';

export async function readinessChunkPostgres(pool: pg.Pool, q: ReadinessChunk): Promise<ReadinessRow[]> {
  const where = ['s.retired_ms IS NULL'];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const range = unitRange(q.unitPrefix);
  if (range)
    where.push(`(s.unit = ${p(range.exact)} OR (s.unit >= ${p(range.lo)} AND s.unit < ${p(range.hi)}))`);
  if (q.after) where.push(`(s.unit, s.site_id) > (${p(q.after.unit)}, ${p(q.after.id)})`);
  // info is TEXT (as on SQLite); the cast parses only the rows of this chunk.
  const cols = readinessColumns(
    "s.info::json #>> '{technician,name}'",
    "s.info::json #>> '{technician,phone}'",
  );
  const { rows } = await pool.query({
    text: `SELECT ${cols} FROM sites s LEFT JOIN site_latest l ON l.site_id = s.site_id
      WHERE ${where.join(' AND ')} ORDER BY s.unit, s.site_id LIMIT ${p(q.limit < 0 ? null : q.limit)}`,
    values: params,
    rowMode: 'array',
  });
  return (rows as unknown[][]).map(readinessFromArray);
}

/** Run `fn` in one transaction on one connection of the pool. */
async function inTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const value = await fn(client);
    await client.query('COMMIT');
    return value;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

class Refused extends Error {
  constructor(readonly outcomes: SiteBatchOutcome[]) {
    super('atomic batch refused');
  }
}

export async function putSitesPostgres(
  pool: pg.Pool,
  items: readonly SiteBatchItem[],
  nowMs: number,
  guard: SiteGuard,
  atomic: boolean,
): Promise<SiteBatchOutcome[]> {
  try {
    return await inTransaction(pool, async (c) => {
      // Rows locked in id order, so two batches cannot deadlock.
      const ids = [...new Set(items.map((i) => i.id))].sort();
      const { rows } = await c.query(
        'SELECT * FROM sites WHERE site_id = ANY($1) ORDER BY site_id FOR UPDATE',
        [ids],
      );
      const before = new Map((rows as SiteRow[]).map((r) => [r.site_id, r]));
      const out: SiteBatchOutcome[] = [];
      for (const { id, ...given } of items) {
        let row = before.get(id);
        if (!row) {
          const { rows: made } = await c.query(
            `INSERT INTO sites (site_id, name, unit, info, created_ms, updated_ms) VALUES ($1, $2, $3, $4, $5, $5)
             ON CONFLICT (site_id) DO NOTHING RETURNING *`,
            [id, given.name, given.unit, infoOf(given), nowMs],
          );
          if (made[0]) {
            before.set(id, made[0] as SiteRow);
            out.push({ kind: 'created', site: siteFromRow(made[0] as SiteRow) });
            continue;
          }
          // Registered meanwhile by another writer: judged like any registered site.
          row = (await c.query('SELECT * FROM sites WHERE site_id = $1 FOR UPDATE', [id])).rows[0] as SiteRow;
        }
        if (row.unit !== given.unit && !guard.mayLeave(row.unit)) {
          out.push({ kind: 'held', heldBy: row.unit });
          continue;
        }
        const site = mergeSite(siteFromRow(row), given);
        const { rows: written } = await c.query(
          'UPDATE sites SET name = $2, unit = $3, info = $4, updated_ms = $5 WHERE site_id = $1 RETURNING *',
          [id, site.name, site.unit, infoOf(site), nowMs],
        );
        if (row.unit !== site.unit)
          await c.query(
            `INSERT INTO site_moves (site_id, seq, at_ms, from_unit, to_unit, actor)
             VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM site_moves WHERE site_id = $1), $2, $3, $4, $5)`,
            [id, nowMs, row.unit, site.unit, guard.by ?? null],
          );
        const after = written[0] as SiteRow;
        before.set(id, after);
        out.push({ kind: 'updated', site: siteFromRow(after) });
      }
      if (atomic && out.some((o) => o.kind === 'held'))
        throw new Refused(out.map((o) => (o.kind === 'held' ? o : { kind: 'not-written' })));
      return out;
    });
  } catch (err) {
    if (err instanceof Refused) return err.outcomes;
    throw err;
  }
}

export async function retireSitePostgres(
  pool: pg.Pool,
  id: string,
  r: SiteRetire,
): Promise<SiteRow | undefined> {
  await pool.query(
    `UPDATE sites SET retired_ms = $2, retired_by = $3, retired_note = $4, updated_ms = $2
     WHERE site_id = $1 AND retired_ms IS NULL`,
    [id, r.atMs, r.by ?? null, r.reason ?? null],
  );
  const { rows } = await pool.query('SELECT * FROM sites WHERE site_id = $1', [id]);
  return rows[0] as SiteRow | undefined;
}
