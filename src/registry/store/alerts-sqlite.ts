/**
 * The alert scripts (alerts-sql.ts) on SQLite: statements run synchronously,
 * so a script runs whole inside better-sqlite3's transaction, the same one as
 * the upload or incident that caused it (docs/alerts.md, delivery guarantee).
 */
import type Database from 'better-sqlite3';
import type { Row, Script, ScriptRunner } from './alerts-sql.js';

export function runSqliteScript<T>(
  db: Database.Database,
  cache: Map<string, Database.Statement>,
  script: Script<T>,
): T {
  let step = script.next([]);
  while (!step.done) {
    const { sql, params } = step.value;
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
    }
    let rows: Row[] = [];
    if (stmt.reader) rows = stmt.all(...params) as Row[];
    else stmt.run(...params);
    step = script.next(rows);
  }
  return step.value;
}

/** Reads run as they are; writes in an IMMEDIATE transaction through the store's busy wait. */
export function sqliteRunner(
  db: Database.Database,
  write: <T>(fn: () => T) => Promise<T>,
): { runner: ScriptRunner; inTxn: <T>(script: Script<T>) => T } {
  const cache = new Map<string, Database.Statement>();
  const inTxn = <T>(script: Script<T>): T => runSqliteScript(db, cache, script);
  return {
    inTxn,
    runner: {
      read: async (script) => inTxn(script()),
      write: (script) => write(() => db.transaction(() => inTxn(script())).immediate()),
    },
  };
}
