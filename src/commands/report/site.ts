/** `diemcau report site <id>`: one site's runs and incidents since a date (default 30 days back). */
import type { Context } from '../../cli/context.js';
import type { SiteFlags } from '../../cli/wiring/report.js';
import type { Incident } from '../../model/incident.js';
import type { Run } from '../../model/run.js';
import type { SiteReportData } from '../../report/fleet/types.js';
import { sinceOf } from '../common.js';
import { emit, getAll, openSession, type Session } from './common.js';

export type SiteOptions = SiteFlags & { id: string };

export const SITE_SINCE = '30d';

export async function loadSite(s: Session, opts: SiteOptions): Promise<SiteReportData> {
  const since = sinceOf(s.ctx, opts.since ?? SITE_SINCE) as string;
  const fromMs = Date.parse(since);
  // Newest first: stop reading pages once they are older than the window.
  const runs = (
    await getAll<Run>(s, '/v1/runs', { site: opts.id }, (last) => Date.parse(last.startedAt) < fromMs)
  ).filter((r) => Date.parse(r.startedAt) >= fromMs);
  const incidents = await getAll<Incident>(s, '/v1/incidents', { site: opts.id, since });
  const known = runs[0]?.site ?? incidents[0]?.site;
  return {
    generatedAt: s.ctx.clock.now().toISOString(),
    site: { id: opts.id, name: known?.name ?? opts.id, unit: known?.unit ?? '' },
    runs,
    incidents,
  };
}

export async function siteCommand(ctx0: Context, opts: SiteOptions): Promise<number> {
  const s = await openSession(ctx0, opts);
  let data: SiteReportData;
  try {
    data = await loadSite(s, opts);
  } finally {
    await s.client.close();
  }
  await emit(s.ctx, opts, 'site', data);
  return 0;
}
