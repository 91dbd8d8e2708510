/**
 * `diemcau report readiness`: the registry's readiness list; for the HTML
 * page (or --days N) the sites × days grid from each site's runs, and the
 * incidents of those days.
 */
import type { Context } from '../../cli/context.js';
import type { Incident, Readiness, Run } from '../../registry/schemas.js';
import { dailyFromRuns } from '../../report/fleet/daily.js';
import { lastDays } from '../../report/fleet/time.js';
import type { ReadinessReportData } from '../../report/fleet/types.js';
import { sinceOf } from '../incident/list.js';
import { emit, getAll, getOne, openSession, pool, type ReportOptions, type Session } from './common.js';

export interface ReadinessOptions extends ReportOptions {
  unit?: string;
  /** Stale cut-off: a duration back or a date-time. */
  since?: string;
  /** Days of daily verdicts (default 7 for html, else 0). */
  days?: number;
}

export const HTML_DAYS = 7;
/** Sites whose runs are read at once for the daily grid (the registry's runs API is per site). */
const RUN_READERS = 8;
const DAY_MS = 86_400_000;

export async function loadReadiness(s: Session, opts: ReadinessOptions): Promise<ReadinessReportData> {
  const readiness = await getOne<Readiness>(s, '/v1/reports/readiness', {
    unit: opts.unit,
    since: sinceOf(s.ctx, opts.since),
  });
  // Only HTML and JSON carry the grid; the table and CSV would fetch it for nothing.
  const days =
    opts.format === 'html' ? (opts.days ?? HTML_DAYS) : opts.format === 'json' ? (opts.days ?? 0) : 0;
  if (days <= 0) return { readiness };
  const dayList = lastDays(new Date(readiness.generatedAt), days);
  // A day of margin either side of the zone's midnight; dailyFromRuns keeps only the listed days.
  const fromMs = Date.parse(`${dayList[0]}T00:00:00Z`) - DAY_MS;
  const perSite = await pool(readiness.sites, RUN_READERS, async (site) => {
    const runs = await getAll<Run>(
      s,
      '/v1/runs',
      { site: site.id },
      (last) => Date.parse(last.startedAt) < fromMs,
    );
    // Keep only what the grid needs: runs carry every check's details.
    return runs.map((r) => ({ site: { id: r.site.id }, verdict: r.verdict, startedAt: r.startedAt }));
  });
  const daily = dailyFromRuns(
    perSite.flat(),
    dayList,
    readiness.sites.map((x) => x.id),
  );
  const since = new Date(fromMs + DAY_MS).toISOString();
  const incidents =
    opts.format === 'html'
      ? await getAll<Incident>(s, '/v1/incidents', { unit: opts.unit, since })
      : undefined;
  return { readiness, daily, ...(incidents ? { incidents } : {}) };
}

export async function readinessCommand(ctx0: Context, opts: ReadinessOptions): Promise<number> {
  const s = await openSession(ctx0, opts);
  let data: ReadinessReportData;
  try {
    data = await loadReadiness(s, opts);
  } finally {
    await s.client.close();
  }
  await emit(s.ctx, opts, 'readiness', data);
  return 0;
}
