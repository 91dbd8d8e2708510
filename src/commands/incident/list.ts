/** `diemcau incident list`: flush the outbox, then read incidents (table, json or csv). */
import type { Context } from '../../cli/context.js';
import { RegistryError, UsageError } from '../../errors.js';
import type { IncidentList } from '../../model/incident.js';
import { parseDuration } from '../../profile/duration.js';
import type { Outcome } from '../../registry/client.js';
import { clientFor, deliver, reportBacklog, resolveTarget, type Target } from '../../registry/session.js';
import { writeOutput } from '../common.js';
import { categoryLabel, optionalProfile } from './common.js';
import { renderCsv, renderTable } from './table.js';

export const LIST_FORMATS = ['table', 'json', 'csv'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

export interface ListOptions {
  profile?: string;
  registry?: string;
  unit?: string;
  site?: string;
  status?: string;
  category?: string;
  since?: string;
  limit?: number;
  cursor?: string;
  format?: ListFormat;
  output?: string;
}

/** "7d" back from now, or a date-time. */
export function sinceOf(ctx: Context, since: string | undefined): string | undefined {
  if (since === undefined) return undefined;
  const back = parseDuration(since);
  if (back !== undefined && /[a-z]$/i.test(since.trim()))
    return new Date(ctx.clock.now().getTime() - back).toISOString();
  const ms = Date.parse(since);
  if (!/^\d{4}-\d{2}-\d{2}/.test(since) || Number.isNaN(ms))
    throw new UsageError(ctx.t('incident.err.since', { got: since }));
  return new Date(ms).toISOString();
}

/** A read: outcomes other than 200 become a RegistryError that says what to do. */
export function readOrThrow<T>(ctx: Context, target: Target, outcome: Outcome<T>): T {
  const { t } = ctx;
  if (outcome.kind === 'ok') return outcome.body;
  if (outcome.kind === 'unreachable') {
    throw new RegistryError(t('registry.err.unreachable', { url: target.url, reason: outcome.message }), {
      hint: t('registry.hint.unreachable'),
    });
  }
  if (outcome.status === 401) {
    throw new RegistryError(t('registry.err.unauthorized', { message: outcome.message }), {
      status: 401,
      code: outcome.code,
      hint: t('registry.hint.no_token'),
    });
  }
  if (outcome.status >= 500)
    throw new RegistryError(t('registry.err.server', { message: `${outcome.status} ${outcome.message}` }), {
      status: outcome.status,
    });
  throw new RegistryError(
    t('registry.err.rejected', { status: outcome.status, code: outcome.code, message: outcome.message }),
    {
      status: outcome.status,
      code: outcome.code,
      exitCode: 3,
    },
  );
}

const localTime = (iso: string) => {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};

export function renderIncidents(ctx: Context, list: IncidentList, format: ListFormat, tty: boolean): string {
  const { t } = ctx;
  if (format === 'json') return `${JSON.stringify(list, null, 2)}\n`;
  if (format === 'csv') {
    return renderCsv(
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
    );
  }
  if (list.items.length === 0) return `${t('incident.list.empty')}\n`;
  return renderTable(
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
      i.severity,
      t(`incident.status.${i.status}`),
      localTime(i.occurredAt),
      i.summary,
    ]),
    tty,
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
  const text = renderIncidents(ctx, list, format, opts.output ? false : ctx.io.stdoutTTY);
  if (opts.output) await writeOutput(ctx, opts.output, text);
  else ctx.io.stdout.write(text);
  if (list.nextCursor && format === 'table')
    ctx.io.stderr.write(`${ctx.t('incident.list.more', { cursor: list.nextCursor })}\n`);
  return 0;
}
