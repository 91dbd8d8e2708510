/**
 * The sites × days grid of the heatmap, from runs: per site and calendar day
 * (in the report's zone) the worst verdict of that day's runs, null when the
 * site did not run that day.
 */
import type { Run } from '../../model/run.js';
import { zoneClock } from './time.js';
import type { DailyVerdicts, Verdict } from './types.js';

/** Worse wins within a day: the heatmap must not hide a morning failure behind an evening pass. */
const RANK: Record<Verdict, number> = { ready: 0, degraded: 1, unknown: 2, 'not-ready': 3 };

export function worseOf(a: Verdict | null, b: Verdict): Verdict {
  return a === null || RANK[b] > RANK[a] ? b : a;
}

/**
 * `siteIds` fixes the rows (sites with no run in the window get a row of
 * nulls); runs of other sites and runs outside `days` are ignored.
 */
export function dailyFromRuns(
  runs: Iterable<Pick<Run, 'verdict' | 'startedAt'> & { site: { id: string } }>,
  days: readonly string[],
  siteIds: readonly string[],
  timeZone?: string,
): DailyVerdicts {
  const clock = zoneClock(timeZone);
  const column = new Map(days.map((d, i) => [d, i]));
  const rows = new Map<string, Array<Verdict | null>>();
  for (const id of siteIds) rows.set(id, new Array<Verdict | null>(days.length).fill(null));
  for (const run of runs) {
    const row = rows.get(run.site.id);
    if (!row) continue;
    const col = column.get(clock.day(Date.parse(run.startedAt)));
    if (col === undefined) continue;
    row[col] = worseOf(row[col] ?? null, run.verdict);
  }
  return {
    days: [...days],
    sites: siteIds.map((id) => ({ id, verdicts: rows.get(id) as Array<Verdict | null> })),
  };
}
