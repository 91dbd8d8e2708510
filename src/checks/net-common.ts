/**
 * What the network kinds share: their own time budget inside the engine's,
 * the line that names the broken warn/fail limits after a summary, and the
 * code of a Node socket/DNS error.
 */
import type { Translator } from '../i18n/index.js';
import type { Judgement, Limits } from './thresholds.js';
import type { CheckContext } from './types.js';

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

/** "; over the limit: rtt_ms = 180 (warn 150)" after a network kind's summary, or "" when nothing broke. */
export const overLimits = (t: Translator, judged: Judgement): string =>
  judged.said.length > 0 ? t('net.breaches', { list: judged.said.join(', ') }) : '';

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
