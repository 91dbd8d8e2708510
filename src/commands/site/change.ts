/** `diemcau site retire ID` and `diemcau site move ID --unit U`: one register change each, history kept. */
import type { Context } from '../../cli/context.js';
import type { SiteMoveFlags, SiteRetireFlags } from '../../cli/wiring/site.js';
import { UsageError } from '../../errors.js';
import type { Site } from '../../model/site.js';
import { readOrThrow } from '../../registry/session.js';
import { json, localTime, openSiteSession, print } from './common.js';

export async function retireCommand(ctx0: Context, opts: SiteRetireFlags & { id: string }): Promise<number> {
  const s = await openSiteSession(ctx0, opts);
  let site: Site;
  try {
    site = readOrThrow(
      s.ctx,
      s.target,
      await s.client.send<Site>('PUT', `/v1/sites/${encodeURIComponent(opts.id)}/retired`, {
        body: opts.reason ? { reason: opts.reason } : {},
      }),
    );
  } finally {
    await s.client.close();
  }
  const at = site.retired ? localTime(s.ctx, site.retired.at) : '';
  await print(
    s.ctx,
    undefined,
    opts.format === 'json' ? json(site) : `${s.ctx.t('site.retired', { id: site.id, at })}\n`,
  );
  return 0;
}

export async function moveCommand(ctx0: Context, opts: SiteMoveFlags & { id: string }): Promise<number> {
  const s = await openSiteSession(ctx0, opts);
  let before: Site;
  let site: Site;
  try {
    const path = `/v1/sites/${encodeURIComponent(opts.id)}`;
    before = readOrThrow(s.ctx, s.target, await s.client.send<Site>('GET', path));
    if (before.unit === opts.unit)
      throw new UsageError(s.ctx.t('site.unchanged_unit', { id: before.id, unit: opts.unit }));
    site = readOrThrow(
      s.ctx,
      s.target,
      await s.client.send<Site>('PUT', `${path}/unit`, { body: { unit: opts.unit } }),
    );
  } finally {
    await s.client.close();
  }
  await print(
    s.ctx,
    undefined,
    opts.format === 'json'
      ? json(site)
      : `${s.ctx.t('site.moved', { id: site.id, from: before.unit, to: site.unit })}\n`,
  );
  return 0;
}
