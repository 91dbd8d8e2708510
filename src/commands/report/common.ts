/**
 * What the report commands share: which registry (flag, env, profile) and
 * token, sending the outbox first like every registry call, reading every
 * page of a list, and printing through the chosen renderer.
 */
import type { Context, RegistryApi } from '../../cli/context.js';
import type { ReportFlags } from '../../cli/wiring/report.js';
import { UsageError } from '../../errors.js';
import {
  clientFor,
  deliver,
  readOrThrow,
  reportBacklog,
  resolveTarget,
  type Target,
} from '../../registry/session.js';
import { loadReportRenderer } from '../../report/fleet/index.js';
import type { FleetRenderOptions, ReportData, ReportKind } from '../../report/fleet/types.js';
import { siteTimeZone } from '../../util/local-time.js';
import { assertWritable, optionalProfile, writeOutput } from '../common.js';

export type ReportOptions = ReportFlags;

export interface Session {
  ctx: Context;
  target: Target;
  client: RegistryApi;
}

/** Resolve the registry, send what the outbox holds, and open a client; close it with `session.client.close()`. */
export async function openSession(ctx0: Context, opts: ReportOptions): Promise<Session> {
  const { profile, ctx } = await optionalProfile(ctx0, opts.profile);
  if (opts.output) await assertWritable(ctx, opts.output);
  const target = resolveTarget(ctx, { flag: opts.registry, profile });
  const { report } = await deliver(ctx, target);
  reportBacklog(ctx, report);
  return { ctx, target, client: clientFor(ctx, target) };
}

export async function getOne<T>(
  s: Session,
  path: string,
  query: Record<string, string | number | undefined> = {},
): Promise<T> {
  return readOrThrow(s.ctx, s.target, await s.client.send<T>('GET', path, { query }));
}

/** Most items a report reads from one list before asking the user to narrow it (bounds memory and time). */
export const MAX_ITEMS = 200_000;
const PAGE = 500;

/**
 * Every page of a list (`items` + `nextCursor`), or until `enough(lastItem)`
 * says the rest is older than the report needs.
 */
export async function getAll<T>(
  s: Session,
  path: string,
  query: Record<string, string | number | undefined>,
  enough?: (last: T) => boolean,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page * PAGE < MAX_ITEMS; page++) {
    const body = await getOne<{ items: T[]; nextCursor: string | null }>(s, path, {
      ...query,
      limit: PAGE,
      cursor,
    });
    items.push(...body.items);
    const last = body.items[body.items.length - 1];
    if (!body.nextCursor || last === undefined || enough?.(last)) return items;
    cursor = body.nextCursor;
  }
  throw new UsageError(s.ctx.t('report.err.too_many', { n: MAX_ITEMS }));
}

/** Render with the chosen format and write to stdout or -o FILE (atomically). */
export async function emit<K extends ReportKind>(
  ctx: Context,
  opts: ReportOptions,
  kind: K,
  data: ReportData[K],
): Promise<void> {
  const format = opts.format ?? 'table';
  const render = await loadReportRenderer(kind, format);
  const toFile = Boolean(opts.output);
  const ro: FleetRenderOptions = {
    t: ctx.t,
    locale: ctx.locale,
    color: ctx.io.color && !toFile,
    // `table` is a table wherever it goes (a pipe, -o FILE); scripts ask for `tsv`.
    tty: true,
    columns: ctx.io.columns,
    bom: opts.bom === true,
    csvRaw: opts.csvRaw === true,
    timeZone: siteTimeZone(ctx.env),
  };
  const text = render(data, ro);
  if (opts.output) {
    await writeOutput(ctx, opts.output, text);
    ctx.io.stderr.write(`${ctx.t('report.written', { format, file: opts.output })}\n`);
  } else ctx.io.stdout.write(text);
}
