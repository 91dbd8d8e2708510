/** `diemcau site list` and `diemcau site show ID`: the register as a table fitting the terminal, or JSON. */
import type { Context } from '../../cli/context.js';
import type { SiteListFlags, SiteShowFlags } from '../../cli/wiring/site.js';
import type { Site, SiteList, SiteMoveList } from '../../model/site.js';
import { readOrThrow } from '../../registry/session.js';
import { simpleTable } from '../../util/table.js';
import { json, localTime, openSiteSession, print } from './common.js';

const personText = (p: Site['technician']) =>
  p ? [p.name, p.phone, p.email, p.zalo ? `Zalo ${p.zalo}` : undefined].filter(Boolean).join(' · ') : '';

export function renderSiteList(ctx: Context, list: SiteList, tty: boolean): string {
  const { t } = ctx;
  if (list.items.length === 0) return `${t('site.list.empty')}\n`;
  return simpleTable(
    (['site.col.id', 'site.col.name', 'site.col.unit', 'site.col.technician', 'site.col.state'] as const).map(
      (k) => t(k),
    ),
    list.items.map((s) => [
      s.id,
      s.name,
      s.unit,
      [s.technician?.name, s.technician?.phone].filter(Boolean).join(' · '),
      t(s.retired ? 'site.state.retired' : 'site.state.active'),
    ]),
    tty,
    ctx.io.columns,
  );
}

export async function listCommand(ctx0: Context, opts: SiteListFlags): Promise<number> {
  const s = await openSiteSession(ctx0, opts);
  let list: SiteList;
  try {
    list = readOrThrow(
      s.ctx,
      s.target,
      await s.client.send<SiteList>('GET', '/v1/sites', {
        query: { unit: opts.unit, retired: opts.retired, limit: opts.limit, cursor: opts.cursor },
      }),
    );
  } finally {
    await s.client.close();
  }
  const text =
    opts.format === 'json'
      ? json(list)
      : renderSiteList(s.ctx, list, opts.output ? false : s.ctx.io.stdoutTTY);
  await print(s.ctx, opts.output, text);
  if (list.nextCursor && opts.format !== 'json')
    s.ctx.io.stderr.write(`${s.ctx.t('site.list.more', { cursor: list.nextCursor })}\n`);
  return 0;
}

export function renderSite(ctx: Context, site: Site, moves: SiteMoveList): string {
  const { t } = ctx;
  const field = (k: string, v: string | undefined) =>
    v ? [`${t(`site.show.field.${k}` as 'site.show.field.level')}: ${v}`] : [];
  const lines = [
    `${site.id} · ${site.name} · ${site.unit}`,
    ...field('level', site.level),
    ...field('address', site.address),
    ...field('technician', personText(site.technician)),
    ...field('focal_point', personText(site.focal_point)),
    ...field(
      'codec',
      site.codec ? [site.codec.driver, site.codec.model].filter(Boolean).join(' ') : undefined,
    ),
    ...field('bridge', site.bridge),
    ...field('meeting_hours', site.meeting_hours),
    ...field(
      'retired',
      site.retired
        ? [
            t('site.retired_line', { at: localTime(ctx, site.retired.at), by: site.retired.by ?? '—' }),
            site.retired.reason,
          ]
            .filter(Boolean)
            .join(' · ')
        : undefined,
    ),
    ...field('registered', localTime(ctx, site.createdAt)),
    ...field('updated', localTime(ctx, site.updatedAt)),
    '',
    `${t('site.show.moves')}:`,
    ...(moves.items.length
      ? moves.items.map(
          (m) =>
            `  ${t('site.show.move', { at: localTime(ctx, m.at), from: m.from, to: m.to, by: m.by ?? '—' })}`,
        )
      : [`  ${t('site.show.no_moves')}`]),
  ];
  return `${lines.join('\n')}\n`;
}

export async function showCommand(ctx0: Context, opts: SiteShowFlags & { id: string }): Promise<number> {
  const s = await openSiteSession(ctx0, opts);
  let site: Site;
  let moves: SiteMoveList;
  try {
    const path = `/v1/sites/${encodeURIComponent(opts.id)}`;
    site = readOrThrow(s.ctx, s.target, await s.client.send<Site>('GET', path));
    moves = readOrThrow(s.ctx, s.target, await s.client.send<SiteMoveList>('GET', `${path}/moves`));
  } finally {
    await s.client.close();
  }
  await print(
    s.ctx,
    undefined,
    opts.format === 'json' ? json({ ...site, moves: moves.items }) : renderSite(s.ctx, site, moves),
  );
  return 0;
}
