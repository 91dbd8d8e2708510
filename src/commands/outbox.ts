/** `diemcau outbox` lists what waits to be sent and what was refused; `outbox retry <id>` queues a refused item again. */
import type { Context } from '../cli/context.js';
import type { OutboxFlags } from '../cli/wiring/registry.js';
import { UsageError } from '../errors.js';
import { withoutCredentials } from '../registry/outbox.js';
import { faultText, outboxOf } from '../registry/session.js';
import { readerTime } from '../util/local-time.js';
import { simpleTable } from '../util/table.js';

export type OutboxOptions = OutboxFlags;

export async function outboxCommand(ctx: Context, opts: OutboxOptions): Promise<number> {
  const { t } = ctx;
  const outbox = outboxOf(ctx);
  const queued = await outbox.list();
  const rejected = await outbox.listRejected();
  if (opts.format === 'json') {
    ctx.io.stdout.write(`${JSON.stringify({ dir: outbox.dir, queued, rejected }, null, 2)}\n`);
    return 0;
  }
  const out = ctx.io.stdout;
  if (queued.length === 0 && rejected.length === 0) {
    out.write(`${t('outbox.empty')}\n`);
    return 0;
  }
  const kind = (k: string) => t(`outbox.kind.${k}` as 'outbox.kind.run');
  // Why an item is still queued, when the registry (or what answered for it) said something.
  const noted = queued.some((i) => i.lastError);
  if (queued.length) {
    if (ctx.io.stdoutTTY) out.write(`${t('outbox.title.queued', { n: queued.length })}\n`);
    out.write(
      simpleTable(
        [
          t('outbox.col.id'),
          t('outbox.col.kind'),
          t('outbox.col.created'),
          t('outbox.col.registry'),
          t('outbox.col.what'),
          ...(noted ? [t('outbox.col.last_error')] : []),
        ],
        queued.map((i) => [
          i.id,
          kind(i.kind),
          // ISO for scripts; for people, the local time.
          ctx.io.stdoutTTY ? readerTime(ctx.env, i.createdAt) : i.createdAt,
          withoutCredentials(i.registry),
          i.label,
          ...(noted ? [i.lastError ? faultText(ctx, i.lastError) : ''] : []),
        ]),
        ctx.io.stdoutTTY,
        ctx.io.columns,
      ),
    );
  }
  if (rejected.length) {
    if (queued.length && ctx.io.stdoutTTY) out.write('\n');
    if (ctx.io.stdoutTTY) out.write(`${t('outbox.title.rejected', { n: rejected.length })}\n`);
    out.write(
      simpleTable(
        [t('outbox.col.id'), t('outbox.col.kind'), t('outbox.col.what'), t('outbox.col.reason')],
        rejected.map((r) => [r.id, r.kind ? kind(r.kind) : '?', r.label ?? '', faultText(ctx, r.rejected)]),
        ctx.io.stdoutTTY,
        ctx.io.columns,
      ),
    );
  }
  return 0;
}

export async function outboxRetryCommand(ctx: Context, opts: { id: string }): Promise<number> {
  const item = /^[0-9a-f-]+$/.test(opts.id) ? await outboxOf(ctx).retry(opts.id) : undefined;
  if (!item) throw new UsageError(ctx.t('outbox.err.not_found', { id: opts.id }));
  ctx.io.stdout.write(`${ctx.t('outbox.retried', { id: opts.id })}\n`);
  return 0;
}
