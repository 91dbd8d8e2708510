/** The site register's batch, retire and readiness chunks on SQLite (sites.ts says what each does). */
import type Database from 'better-sqlite3';
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

/** SQL of one readiness chunk: retired sites left out; `$.technician.*` read from the info JSON. */
export function readinessSql(q: ReadinessChunk): { sql: string; params: unknown[] } {
  const where = ['s.retired_ms IS NULL'];
  const params: unknown[] = [];
  const range = unitRange(q.unitPrefix);
  if (range) {
    where.push('(s.unit = ? OR (s.unit >= ? AND s.unit < ?))');
    params.push(range.exact, range.lo, range.hi);
  }
  if (q.after) {
    where.push('(s.unit > ? OR (s.unit = ? AND s.site_id > ?))');
    params.push(q.after.unit, q.after.unit, q.after.id);
  }
  params.push(q.limit);
  const cols = readinessColumns(
    "json_extract(s.info, '$.technician.name')",
    "json_extract(s.info, '$.technician.phone')",
  );
  return {
    sql: `SELECT ${cols} FROM sites s LEFT JOIN site_latest l ON l.site_id = s.site_id
      WHERE ${where.join(' AND ')} ORDER BY s.unit, s.site_id LIMIT ?`,
    params,
  };
}

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();
function prepared(db: Database.Database, sql: string): Database.Statement {
  const map = cache.get(db) ?? new Map<string, Database.Statement>();
  cache.set(db, map);
  const stmt = map.get(sql) ?? db.prepare(sql);
  map.set(sql, stmt);
  return stmt;
}

export function readinessChunkSqlite(db: Database.Database, q: ReadinessChunk): ReadinessRow[] {
  const { sql, params } = readinessSql(q);
  return (
    prepared(db, sql)
      .raw(true)
      .all(...params) as unknown[][]
  ).map(readinessFromArray);
}

const GET = 'SELECT * FROM sites WHERE site_id = ?';
const UPSERT = `INSERT INTO sites (site_id, name, unit, info, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (site_id) DO UPDATE SET name = excluded.name, unit = excluded.unit, info = excluded.info, updated_ms = excluded.updated_ms`;
const MOVE = `INSERT INTO site_moves (site_id, seq, at_ms, from_unit, to_unit, actor)
  VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM site_moves WHERE site_id = ?), ?, ?, ?, ?)`;

/** Thrown inside the transaction to roll an atomic batch back. */
class Refused extends Error {}

/** The batch as one transaction (the caller runs it IMMEDIATE, through its busy retry). */
export function putSitesSqlite(
  db: Database.Database,
  items: readonly SiteBatchItem[],
  nowMs: number,
  guard: SiteGuard,
  atomic: boolean,
): () => SiteBatchOutcome[] {
  const get = prepared(db, GET);
  const upsert = prepared(db, UPSERT);
  const move = prepared(db, MOVE);
  const tx = db.transaction((): SiteBatchOutcome[] => {
    const out: SiteBatchOutcome[] = [];
    for (const { id, ...given } of items) {
      const row = get.get(id) as SiteRow | undefined;
      if (row && row.unit !== given.unit && !guard.mayLeave(row.unit)) {
        out.push({ kind: 'held', heldBy: row.unit });
        continue;
      }
      const site = mergeSite(row ? siteFromRow(row) : undefined, given);
      upsert.run(id, site.name, site.unit, infoOf(site), row?.created_ms ?? nowMs, nowMs);
      if (row && row.unit !== site.unit) move.run(id, id, nowMs, row.unit, site.unit, guard.by ?? null);
      const after = siteFromRow(get.get(id) as SiteRow);
      out.push(row ? { kind: 'updated', site: after } : { kind: 'created', site: after });
    }
    if (atomic && out.some((o) => o.kind === 'held')) throw new Refused();
    return out;
  });
  return () => {
    try {
      return tx.immediate();
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      // Rolled back: say again which entries were held, the rest were not written.
      return items.map((it) => {
        const row = get.get(it.id) as SiteRow | undefined;
        return row && row.unit !== it.unit && !guard.mayLeave(row.unit)
          ? { kind: 'held', heldBy: row.unit }
          : { kind: 'not-written' };
      });
    }
  };
}

export function retireSiteSqlite(
  db: Database.Database,
  id: string,
  r: SiteRetire,
): () => SiteRow | undefined {
  const get = prepared(db, GET);
  const set = prepared(
    db,
    `UPDATE sites SET retired_ms = ?, retired_by = ?, retired_note = ?, updated_ms = ?
     WHERE site_id = ? AND retired_ms IS NULL`,
  );
  const tx = db.transaction(() => {
    set.run(r.atMs, r.by ?? null, r.reason ?? null, r.atMs, id);
    return get.get(id) as SiteRow | undefined;
  });
  return () => tx.immediate();
}
