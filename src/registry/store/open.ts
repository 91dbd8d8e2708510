/** Pick the engine from `--db`: a postgres:// URL, or a SQLite file path. Engines load lazily. */
import type { Store } from './types.js';

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

export async function openStore(db: string, opts: { busyWaitMs?: number } = {}): Promise<Store> {
  if (isPostgresUrl(db)) {
    const { openPostgres } = await import('./postgres.js');
    return openPostgres(db);
  }
  const { openSqlite } = await import('./sqlite.js');
  return openSqlite(db, opts);
}

/** The URL without its password, for messages and logs. */
export function redactDb(db: string): string {
  if (!isPostgresUrl(db)) return db;
  try {
    const url = new URL(db);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://…';
  }
}
