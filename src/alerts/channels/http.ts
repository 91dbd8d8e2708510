/**
 * The one POST the HTTP channels make (webhook, Zalo, Telegram): undici, a
 * per-attempt time limit, redirects never followed (a token is only ever
 * sent where it was configured), a bounded reply, and every reason scrubbed
 * of the channel's secrets (docs/alerts.md, channels). Never logs.
 */
import { request } from 'undici';
import { type Translator, translator } from '../../i18n/index.js';
import type { AlertMessage } from '../../model/alert.js';
import { readAtMost } from '../../util/read-body.js';
import type { ChannelContext, DeliveryOutcome } from '../channel.js';

const MAX_REPLY_BYTES = 64 * 1024;
const MAX_DETAIL = 200;
/** The status codes worth trying again: the service is busy or broken, not refusing this message. */
const RETRY_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export type Failure = Extract<DeliveryOutcome, { ok: false }>;

/** `text` with every secret (and its URL-encoded and base64 forms) replaced by ***. */
export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    for (const form of new Set([s, encodeURIComponent(s), Buffer.from(s).toString('base64')]))
      out = out.split(form).join('***');
  }
  return out;
}

/** A short, one-line, secret-free excerpt of what a service said. */
export function detail(text: string, secrets: readonly (string | undefined)[]): string {
  const line = scrub(text, secrets)
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim();
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function tr(message: AlertMessage): Translator {
  return translator(message.lang);
}

/** POST `body` to `url`: the answer, or why there was none (always worth a retry). */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  ctx: ChannelContext,
  t: Translator,
  secrets: readonly (string | undefined)[],
): Promise<HttpAnswer | Failure> {
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { 'user-agent': 'diemcau', ...headers },
      body,
      signal,
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
    });
    const raw = await readAtMost(res.body, res.headers['content-length'], MAX_REPLY_BYTES);
    return { status: res.statusCode, headers: res.headers, text: raw?.toString('utf8') ?? '' };
  } catch (err) {
    if (ctx.signal.aborted) return { ok: false, retry: true, reason: t('alerts.reason.cancelled') };
    if (timeout.aborted)
      return { ok: false, retry: true, reason: t('alerts.reason.timeout', { ms: ctx.timeoutMs }) };
    const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
    const code = e.cause?.code ?? e.code;
    const text = [code, e.cause?.message ?? e.message].filter(Boolean).join(': ');
    return {
      ok: false,
      retry: true,
      reason: t('alerts.reason.unreachable', { detail: detail(text, secrets) }),
    };
  }
}

/** A status that is not a success: retried when the service is busy or broken, with its Retry-After. */
export function statusFailure(
  answer: HttpAnswer,
  t: Translator,
  secrets: readonly (string | undefined)[],
): Failure {
  const { status } = answer;
  if (status >= 300 && status < 400)
    return { ok: false, retry: false, reason: t('alerts.reason.redirect', { status }) };
  const said = detail(answer.text, secrets);
  const wait = retryAfterMs(answer.headers['retry-after']);
  return {
    ok: false,
    retry: RETRY_STATUS.has(status) || status >= 500,
    reason: t('alerts.reason.http', { status, detail: said ? `: ${said}` : '' }),
    ...(wait !== undefined ? { retryAfterMs: wait } : {}),
  };
}

/** The body as JSON, or undefined. */
export function json(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export function isFailure(v: HttpAnswer | Failure): v is Failure {
  return 'ok' in v;
}
