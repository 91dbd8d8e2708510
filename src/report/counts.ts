/** Tallies the run renderers print: check statuses of a site, verdicts of a sweep. */

import type { SiteRun } from '../engine/run.js';
import type { Status } from '../model/check.js';
import type { Verdict } from '../model/verdict.js';
import type { RunReport } from './types.js';

export function countStatuses(site: SiteRun): Record<Status, number> {
  const c = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const r of site.checks) c[r.status] += 1;
  return c;
}

export function countVerdicts(report: RunReport): Record<Verdict, number> {
  const c: Record<Verdict, number> = { ready: 0, degraded: 0, 'not-ready': 0, unknown: 0 };
  for (const s of report.sites) c[s.verdict] += 1;
  return c;
}
