/** `diemcau maintenance add|list|end`: windows during which alerts for the sites covered are held (docs/alerts.md). */
import type { Context } from '../../cli/context.js';
import type {
  MaintenanceAddFlags,
  MaintenanceEndFlags,
  MaintenanceListFlags,
} from '../../cli/wiring/alert.js';
import { UsageError } from '../../errors.js';
import type { MaintenanceInput, MaintenanceList, MaintenanceWindow } from '../../model/alert-rule.js';
import { simpleTable } from '../../util/table.js';
import { call, json, shortTime } from './common.js';

function timeFlag(ctx: Context, flag: string, value: string): string {
  // A zone is required: "22:00" alone would be read in whatever zone this machine has.
  const ms = /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new UsageError(ctx.t('alerting.err.time', { flag, got: value }));
  return new Date(ms).toISOString();
}

const scopeOf = (w: MaintenanceWindow) => w.site ?? w.unit ?? '*';

export async function maintenanceAdd(ctx: Context, opts: MaintenanceAddFlags): Promise<number> {
  const { t } = ctx;
  if ((opts.unit === undefined) === (opts.site === undefined))
    throw new UsageError(t('alerting.err.window_scope'));
  const from = opts.from ? timeFlag(ctx, '--from', opts.from) : ctx.clock.now().toISOString();
  const to = timeFlag(ctx, '--to', opts.to);
  if (Date.parse(to) <= Date.parse(from)) throw new UsageError(t('alerting.err.window_order'));
  const body: MaintenanceInput = {
    ...(opts.unit ? { unit: opts.unit } : {}),
    ...(opts.site ? { site: opts.site } : {}),
    from,
    to,
    reason: opts.reason,
    ...(opts.notify?.length ? { notify: [...new Set(opts.notify)] } : {}),
  };
  const w = await call<MaintenanceWindow>(ctx, opts.registry, 'POST', '/v1/maintenance', { body });
  if (opts.format === 'json') return json(ctx, w);
  ctx.io.stdout.write(
    `${t('maintenance.added', { id: w.id, scope: scopeOf(w), from: shortTime(ctx, w.from), to: shortTime(ctx, w.to) })}\n`,
  );
  return 0;
}

export async function maintenanceList(ctx: Context, opts: MaintenanceListFlags): Promise<number> {
  const { t } = ctx;
  const list = await call<MaintenanceList>(ctx, opts.registry, 'GET', '/v1/maintenance', {
    query: { unit: opts.unit, all: opts.all ? 'true' : undefined },
  });
  if (opts.format === 'json') return json(ctx, list);
  if (list.items.length === 0) {
    ctx.io.stdout.write(`${t('maintenance.none')}\n`);
    return 0;
  }
  ctx.io.stdout.write(
    simpleTable(
      [
        t('alerting.col.id'),
        t('maintenance.col.scope'),
        t('maintenance.col.from'),
        t('maintenance.col.to'),
        t('maintenance.col.state'),
        t('maintenance.col.reason'),
      ],
      list.items.map((w) => [
        String(w.id),
        scopeOf(w),
        shortTime(ctx, w.from),
        shortTime(ctx, w.endedAt ?? w.to),
        t(`maintenance.state.${w.state}`),
        w.reason,
      ]),
      ctx.io.stdoutTTY,
    ),
  );
  return 0;
}

export async function maintenanceEnd(
  ctx: Context,
  opts: MaintenanceEndFlags & { id: number },
): Promise<number> {
  await call<MaintenanceWindow>(ctx, opts.registry, 'POST', `/v1/maintenance/${opts.id}/end`);
  ctx.io.stderr.write(`${ctx.t('maintenance.ended', { id: opts.id })}\n`);
  return 0;
}
