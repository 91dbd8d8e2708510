/**
 * What the network kinds share: their own time budget inside the engine's,
 * the warn/fail verdict with a line that names the broken limits, and the
 * code of a Node socket/DNS error.
 */
import type { MessageKey, Translator } from '../i18n/index.js';
import { judge, type Limits, round } from './thresholds.js';
import type { CheckContext, Direction } from './types.js';

/**
 * The kind stops itself a little before the engine would, so a slow peer is
 * reported by the kind (a `fail` with a hint that fits) rather than by the
 * engine's generic timeout.
 */
export function ownBudgetMs(ctx: CheckContext): number {
  const margin = Math.min(250, ctx.timeoutMs * 0.2);
  return Math.max(1, Math.floor(ctx.timeoutMs - margin));
}

/** Seconds for messages, one decimal. */
export const seconds = (ms: number): string => (ms / 1000).toFixed(1);

/** The error code Node puts on socket, DNS and TLS errors (or its cause's). */
export function errCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return undefined;
}

export function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export interface Judged {
  status: 'pass' | 'warn' | 'fail';
  /** "; over the limit: rtt_ms = 180 (warn 150)" or "" when nothing broke. */
  suffix: string;
  /** Hints of the broken metrics, in the order of the breaches, without repeats. */
  hint?: string;
}

/**
 * Judge metrics against warn/fail limits, and say which limit broke and what
 * to try (`hints` maps a metric to its hint key).
 */
export function judgeMetrics(
  t: Translator,
  metrics: Record<string, number>,
  directions: Record<string, Direction>,
  warn: Limits | undefined,
  fail: Limits | undefined,
  hints: Partial<Record<string, MessageKey>> = {},
): Judged {
  const { status, breaches } = judge(metrics, directions, warn, fail);
  if (breaches.length === 0) return { status, suffix: '' };
  const list = breaches
    .map((b) =>
      t('net.breach', {
        metric: b.metric,
        value: round(b.value),
        level: t(`net.level.${b.level}`),
        limit: b.limit,
      }),
    )
    .join(', ');
  const hintKeys = [
    ...new Set(breaches.map((b) => hints[b.metric]).filter((k): k is MessageKey => k !== undefined)),
  ];
  return {
    status,
    suffix: t('net.breaches', { list }),
    ...(hintKeys.length > 0 ? { hint: hintKeys.map((k) => t(k)).join(' ') } : {}),
  };
}

/** Limits given in the profile win, metric by metric, over the kind's defaults. */
export function withDefaults(given: Limits | undefined, defaults: Limits): Limits {
  const out: Limits = { ...defaults };
  for (const [k, v] of Object.entries(given ?? {})) if (typeof v === 'number') out[k] = v;
  return out;
}

/**
 * A promise that rejects when the signal aborts; `cleanup` detaches it. Lets
 * a kind race an operation that cannot be cancelled (dns.lookup) against the
 * engine's abort.
 */
export function abortable(signal: AbortSignal): { promise: Promise<never>; cleanup: () => void } {
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => {});
  return { promise, cleanup: () => signal.removeEventListener('abort', onAbort) };
}
