import type { Direction } from './types.js';

export type Limits = Record<string, number>;

export interface Breach {
  metric: string;
  value: number;
  limit: number;
  level: 'warn' | 'fail';
}

/**
 * Compare metrics with the profile's warn/fail limits. A limit on a metric the
 * check did not measure is ignored (the check says why it has no number).
 */
export function judge(
  metrics: Record<string, number>,
  directions: Record<string, Direction>,
  warn: Limits | undefined,
  fail: Limits | undefined,
): { status: 'pass' | 'warn' | 'fail'; breaches: Breach[] } {
  const breaches: Breach[] = [];
  for (const [level, limits] of [
    ['fail', fail],
    ['warn', warn],
  ] as const) {
    for (const [metric, limit] of Object.entries(limits ?? {})) {
      const value = metrics[metric];
      const dir = directions[metric];
      if (value === undefined || dir === undefined || !Number.isFinite(value)) continue;
      const broken = dir === 'max' ? value > limit : value < limit;
      if (broken && !breaches.some((b) => b.metric === metric))
        breaches.push({ metric, value, limit, level });
    }
  }
  const status = breaches.some((b) => b.level === 'fail') ? 'fail' : breaches.length > 0 ? 'warn' : 'pass';
  return { status, breaches };
}

/** Round for display and JSON: 3 significant decimals is plenty for ms and %. */
export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
