import type { MessageKey, Translator } from '../i18n/index.js';
import type { CheckLimits, DirectedLimit } from '../model/check.js';
import type { Direction } from './types.js';

export type Limits = Record<string, number>;

/**
 * Plain warn/fail limits with the direction of each metric, as results carry
 * them (`diemcau/run@2`, docs/run-format.md). A limit on a metric without a
 * direction is never judged (see `judge`), so it is left out.
 */
export function directedLimits(
  limits: { warn?: Limits | undefined; fail?: Limits | undefined },
  directions: Record<string, Direction> | undefined,
): CheckLimits | undefined {
  const out: CheckLimits = {};
  for (const level of ['warn', 'fail'] as const) {
    const entries = Object.entries(limits[level] ?? {}).flatMap(([metric, limit]) => {
      const dir = directions?.[metric];
      if (dir === undefined) return [];
      const directed: DirectedLimit = dir === 'max' ? { max: limit } : { min: limit };
      return [[metric, directed] as const];
    });
    if (entries.length) out[level] = Object.fromEntries(entries);
  }
  return out.warn || out.fail ? out : undefined;
}

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

export interface Wording {
  /** One breach in words (default: "rtt_ms 180 (warn limit 150)", the network kinds' wording). */
  breach?: (b: Breach) => string;
  /** The hint for each metric that can break. */
  hints?: Partial<Record<string, MessageKey>>;
}

export interface Judgement {
  status: 'pass' | 'warn' | 'fail';
  breaches: Breach[];
  /** Each breach in words, in the order of the breaches. */
  said: string[];
  /** The hints of the broken metrics, in the order of the breaches, without repeats; absent when none. */
  hint?: string;
}

/**
 * The one threshold judge of the kinds: compare the figures with the limits
 * (see `judge`), then say which limit broke and what to try. Each kind joins
 * `said` into its own summary.
 */
export function judgeMetrics(
  t: Translator,
  metrics: Record<string, number>,
  directions: Record<string, Direction>,
  limits: { warn?: Limits | undefined; fail?: Limits | undefined },
  wording: Wording = {},
): Judgement {
  const { status, breaches } = judge(metrics, directions, limits.warn, limits.fail);
  const word =
    wording.breach ??
    ((b: Breach) =>
      t('net.breach', {
        metric: b.metric,
        value: round(b.value),
        level: t(`net.level.${b.level}`),
        limit: b.limit,
      }));
  const hints = wording.hints ?? {};
  const hintKeys = [
    ...new Set(breaches.map((b) => hints[b.metric]).filter((k): k is MessageKey => k !== undefined)),
  ];
  return {
    status,
    breaches,
    said: breaches.map(word),
    ...(hintKeys.length > 0 ? { hint: hintKeys.map((k) => t(k)).join(' ') } : {}),
  };
}

const RANK = { pass: 0, warn: 1, fail: 2 } as const;

/** The worse of two verdicts (a kind's own rule and its limits). */
export const worse = <S extends keyof typeof RANK>(a: S, b: S): S => (RANK[a] >= RANK[b] ? a : b);

/** Round for display and JSON: 3 significant decimals is plenty for ms and %. */
export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
