/**
 * `diemcau report readiness`: the registry's readiness list; for the HTML
 * page (or --days N) the sites × days grid (one GET /v1/reports/daily, or
 * each site's runs from a registry without it), and the incidents of those days.
 */
import type { Context } from '../../cli/context.js';
import type { ReadinessFlags } from '../../cli/wiring/report.js';
import type { Incident } from '../../model/incident.js';
import type { Daily, Readiness } from '../../model/report.js';
import type { Run } from '../../model/run.js';
import { readOrThrow } from '../../registry/session.js';
import { dailyFromRuns } from '../../report/fleet/daily.js';
import { lastDays, zoneClock } from '../../report/fleet/time.js';
import type { DailyVerdicts, ReadinessReportData, Verdict } from '../../report/fleet/types.js';
import { siteTimeZone } from '../../util/local-time.js';
import { pool } from '../../util/pool.js';
import { sinceOf } from '../common.js';
import { emit, getAll, getOne, openSession, type Session } from './common.js';

export type ReadinessOptions = ReadinessFlags;

export const HTML_DAYS = 7;
/** Sites whose runs are read at once when the registry has no daily report (the runs API is per site). */
const RUN_READERS = 8;
const DAY_MS = 86_400_000;

/**
 * The grid from GET /v1/reports/daily: one request, the registry groups the
 * runs by site and day. Days are cut at this machine's UTC offset now (the
 * zone the page shows times in). undefined when the registry predates the route.
 */
async function dailyFromRegistry(
  s: Session,
  opts: ReadinessOptions,
  readiness: Readiness,
  days: number,
): Promise<DailyVerdicts | undefined> {
  const tz = zoneClock(siteTimeZone(s.ctx.env)).offsetLabel(Date.parse(readiness.generatedAt)).slice(3);
  const outcome = await s.client.send<Daily>('GET', '/v1/reports/daily', {
    query: { unit: opts.unit, days, tz },
  });
  if (outcome.kind === 'http-error' && outcome.status === 404 && outcome.code === 'not_found')
    return undefined;
  const daily = readOrThrow(s.ctx, s.target, outcome);
  // Rows follow the readiness list (a site registered between the two requests has no row there).
  const byId = new Map(daily.sites.map((x) => [x.id, x.verdicts]));
  return {
    days: daily.days,
    sites: readiness.sites.map((x) => ({
      id: x.id,
      verdicts: byId.get(x.id) ?? new Array<Verdict | null>(daily.days.length).fill(null),
    })),
  };
}

/** The grid from every site's runs (GET /v1/runs per site), for a registry without the daily report. */
async function dailyFromSiteRuns(s: Session, readiness: Readiness, days: number): Promise<DailyVerdicts> {
  const dayList = lastDays(new Date(readiness.generatedAt), days, siteTimeZone(s.ctx.env));
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
  return dailyFromRuns(
    perSite.flat(),
    dayList,
    readiness.sites.map((x) => x.id),
  );
}

export async function loadReadiness(s: Session, opts: ReadinessOptions): Promise<ReadinessReportData> {
  const readiness = await getOne<Readiness>(s, '/v1/reports/readiness', {
    unit: opts.unit,
    since: sinceOf(s.ctx, opts.since),
  });
  // Only HTML and JSON carry the grid; the table and CSV would fetch it for nothing.
  const days =
    opts.format === 'html' ? (opts.days ?? HTML_DAYS) : opts.format === 'json' ? (opts.days ?? 0) : 0;
  if (days <= 0) return { readiness };
  const daily =
    (await dailyFromRegistry(s, opts, readiness, days)) ?? (await dailyFromSiteRuns(s, readiness, days));
  // Incidents from the first day's UTC midnight: a margin for zones east of UTC.
  const since = `${daily.days[0]}T00:00:00.000Z`;
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
