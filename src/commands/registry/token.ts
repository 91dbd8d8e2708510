/** `diemcau registry token create`: the secret goes to stdout once (for scripts); what it is goes to stderr. */
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../errors.js';
import type { Role } from '../../model/incident.js';
import { createToken } from '../../registry/auth.js';
import { openStore, redactDb } from '../../registry/store/open.js';
import { dbOf } from './db.js';

export interface TokenCreateOptions {
  db?: string;
  role: Role;
  unit?: string;
  label?: string;
}

const UNIT = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/;

export async function tokenCreateCommand(ctx: Context, opts: TokenCreateOptions): Promise<number> {
  const { t } = ctx;
  const unit = opts.unit ?? '';
  if (unit !== '' && !UNIT.test(unit)) throw new UsageError(t('registry.err.unit', { got: unit }));
  if (unit === '' && opts.role !== 'admin')
    throw new UsageError(t('registry.err.unit_required', { role: opts.role }));
  const db = dbOf(ctx, opts.db);
  const store = await openStore(db).catch((err: Error) => {
    throw new UsageError(t('registry.err.db', { db: redactDb(db), reason: err.message }), { cause: err });
  });
  try {
    const label = opts.label ?? `${opts.role}@${unit || '*'}`;
    const { token, record } = await createToken(store, {
      role: opts.role,
      unit,
      label,
      nowMs: ctx.clock.now().getTime(),
    });
    ctx.io.stderr.write(
      `${t('registry.token.created', { id: record.id, role: record.role, unit: unit || t('registry.token.all_units'), label })}\n`,
    );
    ctx.io.stdout.write(`${token}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
