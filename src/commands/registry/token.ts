/**
 * `diemcau registry token create|list|revoke`. create: the secret goes to
 * stdout once (for scripts); what it is goes to stderr. list never shows a
 * token or its hash. These open the database directly, so on SQLite they
 * wait up to ADMIN_BUSY_WAIT_MS for a live registry's write lock.
 */
import type { Context } from '../../cli/context.js';
import type { TokenCreateFlags, TokenListFlags, TokenRevokeFlags } from '../../cli/wiring/registry.js';
import { UsageError } from '../../errors.js';
import { createToken, tokenState } from '../../registry/auth.js';
import { openStore, redactDb } from '../../registry/store/open.js';
import type { Store, TokenRecord } from '../../registry/store/types.js';
import { simpleTable } from '../../util/table.js';
import { dbOf } from './db.js';

export type TokenCreateOptions = TokenCreateFlags;
export type TokenListOptions = TokenListFlags;
export type TokenRevokeOptions = TokenRevokeFlags & { id: string };

const UNIT = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/;
/** How long an admin command waits for the SQLite write lock (docs/operations.md). */
const ADMIN_BUSY_WAIT_MS = 5000;

async function withStore<T>(
  ctx: Context,
  flag: string | undefined,
  fn: (store: Store) => Promise<T>,
): Promise<T> {
  const db = dbOf(ctx, flag);
  const store = await openStore(db, { busyWaitMs: ADMIN_BUSY_WAIT_MS }).catch((err: Error) => {
    throw new UsageError(ctx.t('registry.err.db', { db: redactDb(db), reason: err.message }), { cause: err });
  });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function tokenCreateCommand(ctx: Context, opts: TokenCreateOptions): Promise<number> {
  const { t } = ctx;
  const unit = opts.unit ?? '';
  if (unit !== '' && !UNIT.test(unit)) throw new UsageError(t('registry.err.unit', { got: unit }));
  if (unit === '' && opts.role !== 'admin')
    throw new UsageError(t('registry.err.unit_required', { role: opts.role }));
  const nowMs = ctx.clock.now().getTime();
  return withStore(ctx, opts.db, async (store) => {
    const label = opts.label ?? `${opts.role}@${unit || '*'}`;
    const { token, record } = await createToken(store, {
      role: opts.role,
      unit,
      label,
      nowMs,
      ...(opts.expires !== undefined ? { expiresMs: nowMs + opts.expires } : {}),
    });
    ctx.io.stderr.write(
      `${t('registry.token.created', { id: record.id, role: record.role, unit: unit || t('registry.token.all_units'), label })}\n`,
    );
    if (record.expiresAt) ctx.io.stderr.write(`${t('registry.token.expires', { at: record.expiresAt })}\n`);
    ctx.io.stdout.write(`${token}\n`);
    return 0;
  });
}

/** A token as `token list --format json` shows it: its record and its state now. */
type ListedToken = TokenRecord & { state: ReturnType<typeof tokenState> };

export async function tokenListCommand(ctx: Context, opts: TokenListOptions): Promise<number> {
  const { t } = ctx;
  const nowMs = ctx.clock.now().getTime();
  const tokens: ListedToken[] = await withStore(ctx, opts.db, async (store) =>
    (await store.listTokens()).map((r) => ({ ...r, state: tokenState(r, nowMs) })),
  );
  const out = ctx.io.stdout;
  if (opts.format === 'json') {
    out.write(`${JSON.stringify({ tokens }, null, 2)}\n`);
    return 0;
  }
  if (tokens.length === 0) {
    out.write(`${t('registry.token.none')}\n`);
    return 0;
  }
  out.write(
    simpleTable(
      [
        t('registry.token.col.id'),
        t('registry.token.col.role'),
        t('registry.token.col.unit'),
        t('registry.token.col.label'),
        t('registry.token.col.created'),
        t('registry.token.col.last_used'),
        t('registry.token.col.expires'),
        t('registry.token.col.state'),
      ],
      tokens.map((r) => [
        String(r.id),
        r.role,
        r.unit || '*',
        r.label,
        r.createdAt,
        r.lastUsedAt ?? '-',
        r.expiresAt ?? '-',
        t(`registry.token.state.${r.state}`),
      ]),
      ctx.io.stdoutTTY,
    ),
  );
  return 0;
}

export async function tokenRevokeCommand(ctx: Context, opts: TokenRevokeOptions): Promise<number> {
  const { t } = ctx;
  if (!/^[1-9]\d{0,14}$/.test(opts.id)) throw new UsageError(t('registry.err.token_id', { got: opts.id }));
  const id = Number(opts.id);
  const record = await withStore(ctx, opts.db, (store) => store.revokeToken(id, ctx.clock.now().getTime()));
  if (!record) throw new UsageError(t('registry.err.no_such_token', { id }));
  ctx.io.stderr.write(
    `${t('registry.token.revoked', { id, label: record.label, at: record.revokedAt as string })}\n`,
  );
  return 0;
}
