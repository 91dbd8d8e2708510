/** `diemcau incident list`: flush the outbox, then read incidents (table, json or csv). */
import type { Context } from '../../cli/context.js';
import type { IncidentListFlags } from '../../cli/wiring/incident.js';
import type { IncidentList } from '../../model/incident.js';
import { clientFor, deliver, readOrThrow, reportBacklog, resolveTarget } from '../../registry/session.js';
import { csvDocument } from '../../util/csv.js';
import { readerTime } from '../../util/local-time.js';
import { simpleTable } from '../../util/table.js';
import { optionalProfile, sinceOf, writeOutput } from '../common.js';
import { categoryLabel } from './common.js';

export const LIST_FORMATS = ['table', 'json', 'csv'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

export type ListOptions = IncidentListFlags;

export function renderIncidents(
  ctx: Context,
  list: IncidentList,
  format: ListFormat,
  tty: boolean,
  csvRaw = false,
): string {
  const { t } = ctx;
  if (format === 'json') return `${JSON.stringify(list, null, 2)}\n`;
  if (format === 'csv') {
    return csvDocument(
      [
        'id',
        'site',
        'unit',
        'category',
        'category_label',
        'severity',
        'status',
        'effect',
        'occurred_at',
        'created_at',
        'resolved_at',
        'summary',
      ],
      list.items.map((i) => [
        i.id,
        i.site.id,
        i.site.unit,
        i.category,
        categoryLabel(ctx, i.category),
        i.severity,
        i.status,
        i.effect,
        i.occurredAt,
        i.createdAt,
        i.resolvedAt ?? '',
        i.summary,
      ]),
      false,
      csvRaw,
    );
  }
  if (list.items.length === 0) return `${t('incident.list.empty')}\n`;
  return simpleTable(
    [
      'incident.col.id',
      'incident.col.site',
      'incident.col.category',
      'incident.col.severity',
      'incident.col.status',
      'incident.col.occurred',
      'incident.col.summary',
    ].map((k) => t(k as 'incident.col.id')),
    list.items.map((i) => [
      String(i.id),
      i.site.id,
      categoryLabel(ctx, i.category),
      t(`report.severity.${i.severity}`),
      t(`incident.status.${i.status}`),
      readerTime(ctx.env, i.occurredAt),
      i.summary,
    ]),
    tty,
    ctx.io.columns,
  );
}

export async function listCommand(ctx0: Context, opts: ListOptions): Promise<number> {
  const { profile, ctx } = await optionalProfile(ctx0, opts.profile);
  const target = resolveTarget(ctx, { flag: opts.registry, profile });
  const since = sinceOf(ctx, opts.since);
  const { report } = await deliver(ctx, target);
  reportBacklog(ctx, report);
  const client = clientFor(ctx, target);
  let list: IncidentList;
  try {
    list = readOrThrow(
      ctx,
      target,
      await client.send<IncidentList>('GET', '/v1/incidents', {
        query: {
          unit: opts.unit,
          site: opts.site,
          status: opts.status,
          category: opts.category,
          since,
          limit: opts.limit,
          cursor: opts.cursor,
        },
      }),
    );
  } finally {
    await client.close();
  }
  const format = opts.format ?? 'table';
  const text = renderIncidents(
    ctx,
    list,
    format,
    opts.output ? false : ctx.io.stdoutTTY,
    opts.csvRaw === true,
  );
  if (opts.output) await writeOutput(ctx, opts.output, text);
  else ctx.io.stdout.write(text);
  if (list.nextCursor && format === 'table')
    ctx.io.stderr.write(`${ctx.t('incident.list.more', { cursor: list.nextCursor })}\n`);
  return 0;
}
