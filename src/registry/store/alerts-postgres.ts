/**
 * The alert scripts (alerts-sql.ts) on PostgreSQL: each statement is a round
 * trip on one client, inside the transaction of the write that caused it.
 */
import type pg from 'pg';
import type { Row, Script, ScriptRunner } from './alerts-sql.js';

/** `?` placeholders as $1, $2… (the scripts' SQL has no other question marks). */
const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

export async function runPgScript<T>(client: pg.PoolClient | pg.Pool, script: Script<T>): Promise<T> {
  let step = script.next([]);
  while (!step.done) {
    const { sql, params, pg: own } = step.value;
    const { rows } = await client.query(numbered(own ?? sql), params);
    step = script.next(rows as Row[]);
  }
  return step.value;
}

/** Run fn in one transaction on one client of the pool. */
export async function inPgTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

export const pgRunner = (pool: pg.Pool): ScriptRunner => ({
  read: (script) => runPgScript(pool, script()),
  write: (script) => inPgTransaction(pool, (c) => runPgScript(c, script())),
});
