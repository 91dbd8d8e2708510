/** Which store a registry command opens: --db, else DIEMCAU_REGISTRY_DB, else ./registry.db. */
import path from 'node:path';
import type { Context } from '../../cli/context.js';
import { isPostgresUrl } from '../../registry/store/open.js';

export function dbOf(ctx: Context, flag: string | undefined): string {
  const db = flag || ctx.env.DIEMCAU_REGISTRY_DB || 'registry.db';
  return isPostgresUrl(db) ? db : path.resolve(ctx.cwd, db);
}
