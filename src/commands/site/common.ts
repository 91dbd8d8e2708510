/**
 * What the site commands share (docs/sites.md): the registry and token as for
 * `incident` (flag, env, profile; the outbox is sent first), batches of
 * entries sent with PUT /v1/sites, and the JSON or table printing.
 */
import type { Context } from '../../cli/context.js';
import { SITE_BATCH_MAX, type SiteBatchItem, type SiteBatchResult } from '../../model/site.js';
import { readOrThrow } from '../../registry/session.js';
import { readerTime } from '../../util/local-time.js';
import { writeOutput } from '../common.js';
import { openSession, type Session } from '../report/common.js';

/** The registry session as for the reports (flag, env or profile; the outbox sent first). */
export type SiteSession = Session;

export const openSiteSession = (
  ctx: Context,
  opts: { profile?: string; registry?: string },
): Promise<Session> =>
  // The report's format plays no part in opening a session (there is no -o file to check first).
  openSession(ctx, { ...opts, format: 'json' });

/** Send entries in batches of SITE_BATCH_MAX; each batch one transaction. The answers, in order. */
export async function putBatches(
  s: SiteSession,
  items: readonly SiteBatchItem[],
  atomic: boolean,
): Promise<SiteBatchResult['items']> {
  const out: SiteBatchResult['items'] = [];
  for (let i = 0; i < items.length; i += SITE_BATCH_MAX) {
    const batch = items.slice(i, i + SITE_BATCH_MAX);
    const r = readOrThrow(
      s.ctx,
      s.target,
      await s.client.send<SiteBatchResult>('PUT', '/v1/sites', { body: { items: batch, atomic } }),
    );
    out.push(...r.items);
  }
  return out;
}

/** Print to stdout, or write -o FILE atomically. */
export async function print(ctx: Context, output: string | undefined, text: string): Promise<void> {
  if (output) await writeOutput(ctx, output, text);
  else ctx.io.stdout.write(text);
}

export const json = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

/** "08:30 25/11/2026" in DIEMCAU_TZ (Asia/Ho_Chi_Minh unless set): the one people's-time format. */
export const localTime = (ctx: Context, iso: string): string => readerTime(ctx.env, iso);
