import type { CheckResult } from '../model/check.js';
import type { Verdict } from '../model/verdict.js';

/** Skipped because a check it needs did not pass: a required check that could not run. */
export const NEEDS_NOT_MET = 'NEEDS_NOT_MET';

export function siteVerdict(results: readonly CheckResult[]): Verdict {
  let degraded = false;
  for (const r of results) {
    const couldNotRun = r.status === 'skip' && r.error?.code === NEEDS_NOT_MET;
    if (r.status === 'fail' || r.status === 'error' || couldNotRun) {
      if (r.required) return 'not-ready';
      degraded = true;
    } else if (r.status === 'warn') degraded = true;
  }
  return degraded ? 'degraded' : 'ready';
}

/** Nagios order: OK < WARNING < UNKNOWN < CRITICAL. */
const RANK: Record<Verdict, number> = { ready: 0, degraded: 1, unknown: 2, 'not-ready': 3 };

export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict = 'ready';
  for (const v of verdicts) if (RANK[v] > RANK[worst]) worst = v;
  return worst;
}

export function exitCodeFor(verdict: Verdict): number {
  switch (verdict) {
    case 'ready':
      return 0;
    case 'degraded':
      return 1;
    case 'not-ready':
      return 2;
    case 'unknown':
      return 3;
  }
}
