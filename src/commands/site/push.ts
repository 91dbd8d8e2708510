/**
 * `diemcau site push [profiles...]`: each profile's site as a register entry
 * (entry.ts: never a secret), checked, then sent in batches of PUT /v1/sites
 * to the profile's registry (or --registry). Fields a profile leaves out are
 * kept as registered (an address the IT centre imported stays).
 */
import type { Context } from '../../cli/context.js';
import type { SitePushFlags } from '../../cli/wiring/site.js';
import type { SiteBatchItem, SiteBatchResult } from '../../model/site.js';
import { displayPath } from '../../profile/load.js';
import { resolveTarget } from '../../registry/session.js';
import { expandTargets } from '../check/targets.js';
import { loadSite, resolveProfilePath } from '../common.js';
import { json, openSiteSession, print, putBatches } from './common.js';
import { entryErrors, entryOf } from './entry.js';

export type PushOptions = SitePushFlags & { profiles: string[] };

export async function pushCommand(ctx: Context, opts: PushOptions): Promise<number> {
  const files = opts.profiles.length
    ? (await expandTargets(ctx, opts.profiles)).map((x) => x.file)
    : [await resolveProfilePath(ctx, opts.profile)];
  const groups = new Map<string, { file: string; items: SiteBatchItem[] }>();
  let invalid = 0;
  for (const file of files) {
    const { profile } = await loadSite(ctx, file, 'registry');
    const entry = entryOf(profile);
    const errors = entryErrors(entry, ctx.t);
    for (const e of errors)
      ctx.io.stderr.write(`${displayPath(file, ctx.cwd)}: site.${e.path}: ${e.message}\n`);
    if (errors.length) {
      invalid += 1;
      continue;
    }
    const url = resolveTarget(ctx, { flag: opts.registry, profile }).url;
    const group = groups.get(url) ?? { file, items: [] };
    group.items.push(entry);
    groups.set(url, group);
  }
  if (opts.dryRun) {
    // What would be sent, entry by entry: nothing secret is in it (entry.ts).
    await print(ctx, undefined, json({ items: [...groups.values()].flatMap((g) => g.items), invalid }));
    return invalid > 0 ? 3 : 0;
  }
  const answers: SiteBatchResult['items'] = [];
  for (const g of groups.values()) {
    const s = await openSiteSession(ctx, { profile: g.file, registry: opts.registry });
    try {
      answers.push(...(await putBatches(s, g.items, false)));
    } finally {
      await s.client.close();
    }
  }
  const written = answers.filter((a) => a.status === 200 || a.status === 201).length;
  if (opts.format === 'json') await print(ctx, undefined, json({ items: answers, written, invalid }));
  else {
    for (const a of answers)
      if (a.error)
        ctx.io.stderr.write(`${ctx.t('site.push.refused', { id: a.id, reason: a.error.message })}\n`);
    if (answers.length === 0 && invalid === 0) ctx.io.stderr.write(`${ctx.t('site.push.none')}\n`);
    else ctx.io.stdout.write(`${ctx.t('site.push.sent', { written, total: answers.length + invalid })}\n`);
  }
  return invalid > 0 ? 3 : answers.some((a) => a.error) ? 1 : 0;
}
