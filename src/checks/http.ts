/**
 * `http`: a URL answers the expected status, optionally with a text in its
 * body, within a time. Redirects are not followed: a 3xx is reported as it
 * is (a portal that starts redirecting to a login page is news).
 *
 * undici is imported inside run(): profile validation loads every kind.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Translator } from '../i18n/index.js';
import { formatNumber } from '../report/metrics.js';
import { errCode, errMessage, overLimits, ownBudgetMs, seconds } from './net-common.js';
import { bothHints, cancelled, failed, judgedOutcome } from './outcome.js';
import { Limits, oneOf } from './params.js';
import { judgeMetrics, round } from './thresholds.js';
import { type CheckContext, type CheckOutcome, defineKind } from './types.js';

const httpLimits = {
  ttfb_ms: 'Time to the first byte of the answer, i.e. to its status and headers (ms).',
  total_ms: 'Time to the end of the body (ms).',
};

const Status = Type.Integer({ minimum: 100, maximum: 599 });

/** Keep at most this much of the body for `contains` (the rest is counted, not kept). */
const KEEP_BYTES = 1 << 20;

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;
const NOT_FOUND = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

export const httpParams = Type.Object({
  url: Type.String({ pattern: '^https?://[^\\s]+$', 'x-allowed': 'profile.allowed.url' }),
  method: Type.Optional(oneOf(['GET', 'HEAD'] as const, 'Default GET.')),
  expect_status: Type.Optional(
    Type.Union([Status, Type.Array(Status, { minItems: 1 })], {
      description: 'Status code(s) that pass; default any 2xx or 3xx.',
    }),
  ),
  contains: Type.Optional(
    Type.String({ minLength: 1, description: 'Text the body must contain (GET only).' }),
  ),
  insecure_tls: Type.Optional(Type.Boolean({ description: 'Accept a self-signed or expired certificate.' })),
  warn: Limits(httpLimits),
  fail: Limits(httpLimits),
});

type HttpParams = Static<typeof httpParams>;

/** What came back: the figures and the little of the answer the verdict needs. */
interface Answer {
  status: number;
  ttfbMs: number;
  totalMs: number;
  bytes: number;
  /** The start of the body, kept only for `contains`. */
  body?: string;
  location?: string;
  contentType?: string;
}

type Fetched = { ok: true; answer: Answer } | { ok: false; stopped?: 'timeout' | 'cancelled'; err: unknown };

type Agent = import('undici').Agent;
/** One agent per process and TLS setting (docs/run-format.md, "Sweeps"); made on the first check. */
const agents = new Map<boolean, Agent>();

/**
 * The agent for `insecure`. Each request asks for its own connection to be
 * closed after the answer (`reset`), so no keep-alive socket outlives the
 * check; sharing the agent only saves building and destroying one per check,
 * which cost a sweep of 10,000 sites more CPU than the requests. No connect
 * timeout of its own: the check's budget timer aborts the request.
 */
function agentFor(undici: typeof import('undici'), insecure: boolean): Agent {
  let agent = agents.get(insecure);
  if (!agent) {
    agent = new undici.Agent({ connect: { rejectUnauthorized: !insecure, timeout: 0 } });
    agents.set(insecure, agent);
  }
  return agent;
}

/** undici, imported on the first check (an `import()` per check went through the loader each time). */
let undiciModule: Promise<typeof import('undici')> | undefined;

/** One request within the budget, timed; never throws. */
async function fetchUrl(p: HttpParams, ctx: CheckContext, budget: number): Promise<Fetched> {
  undiciModule ??= import('undici');
  const undici = await undiciModule;
  const agent = agentFor(undici, p.insecure_tls === true);
  const controller = new AbortController();
  let stopped: 'timeout' | 'cancelled' | undefined;
  const stop = (why: 'timeout' | 'cancelled') => {
    stopped ??= why;
    controller.abort(new Error(why));
  };
  const timer = setTimeout(() => stop('timeout'), budget);
  const onAbort = () => stop('cancelled');
  if (ctx.signal.aborted) onAbort();
  else ctx.signal.addEventListener('abort', onAbort, { once: true });
  const t0 = ctx.clock.monotonic();
  try {
    const res = await undici.request(p.url, {
      method: p.method ?? 'GET',
      dispatcher: agent,
      reset: true,
      signal: controller.signal,
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
      headers: { 'user-agent': 'diemcau', accept: '*/*' },
    });
    const ttfbMs = ctx.clock.monotonic() - t0;
    let bytes = 0;
    const kept: Buffer[] = [];
    let keptBytes = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (p.contains && keptBytes < KEEP_BYTES) {
        kept.push(chunk);
        keptBytes += chunk.length;
      }
    }
    const totalMs = ctx.clock.monotonic() - t0;
    const { location, 'content-type': contentType } = res.headers;
    return {
      ok: true,
      answer: {
        status: res.statusCode,
        ttfbMs,
        totalMs,
        bytes,
        ...(p.contains ? { body: Buffer.concat(kept).toString('utf8') } : {}),
        ...(typeof location === 'string' ? { location } : {}),
        ...(typeof contentType === 'string' ? { contentType } : {}),
      },
    };
  } catch (err) {
    return { ok: false, ...(stopped ? { stopped } : {}), err };
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** The expected status, the expected text, then the time limits. */
function judgeAnswer(t: Translator, p: HttpParams, a: Answer): CheckOutcome {
  const method = p.method ?? 'GET';
  const expected =
    p.expect_status === undefined
      ? undefined
      : Array.isArray(p.expect_status)
        ? p.expect_status
        : [p.expect_status];
  const metrics = {
    status: a.status,
    ttfb_ms: round(a.ttfbMs, 3),
    total_ms: round(a.totalMs, 3),
    bytes: a.bytes,
  };
  const details = {
    url: p.url,
    method,
    status: a.status,
    ...(a.location !== undefined ? { location: a.location } : {}),
    ...(a.contentType !== undefined ? { content_type: a.contentType } : {}),
  };
  const okStatus = expected ? expected.includes(a.status) : a.status >= 200 && a.status < 400;
  if (!okStatus) {
    const message = t('net.http.bad_status', {
      url: p.url,
      status: a.status,
      expected: expected ? expected.join(', ') : t('net.http.any_ok'),
    });
    return failed('HTTP_STATUS', message, { metrics, details, ...bothHints(t('net.http.hint.bad_status')) });
  }
  if (p.contains && method === 'GET' && !(a.body ?? '').includes(p.contains)) {
    const message = t('net.http.missing_text', { url: p.url, text: p.contains });
    return failed('HTTP_CONTENT', message, {
      metrics,
      details,
      ...bothHints(t('net.http.hint.missing_text')),
    });
  }
  const judged = judgeMetrics(
    t,
    metrics,
    http.thresholds ?? {},
    { warn: p.warn, fail: p.fail },
    { hints: { ttfb_ms: 'net.http.hint.timeout', total_ms: 'net.http.hint.timeout' } },
  );
  return judgedOutcome(
    judged,
    t('net.http.ok', {
      method,
      url: p.url,
      status: a.status,
      ttfb: formatNumber(metrics.ttfb_ms),
      total: formatNumber(metrics.total_ms),
    }) + overLimits(t, judged),
    { metrics, details },
  );
}

/** Why no answer came, in the technician's words. */
function requestFailure(
  t: Translator,
  p: HttpParams,
  f: Extract<Fetched, { ok: false }>,
  budget: number,
): CheckOutcome {
  if (f.stopped === 'cancelled') return cancelled(t('net.cancelled'));
  const details = { url: p.url, method: p.method ?? 'GET' };
  const code = f.stopped === 'timeout' ? 'TIMEOUT' : (errCode(f.err) ?? 'HTTP_FAILED');
  const fail = (message: string, c: string, hint?: string) =>
    failed(c, message, { details, ...bothHints(hint) });
  if (code === 'TIMEOUT' || TIMEOUT_CODES.has(code))
    return fail(
      t('net.http.timeout', { url: p.url, s: seconds(budget) }),
      'TIMEOUT',
      t('net.http.hint.timeout'),
    );
  if (code === 'ECONNREFUSED')
    return fail(t('net.http.refused', { url: p.url }), code, t('net.http.hint.refused'));
  if (TLS_CODE.test(code)) return fail(t('net.http.tls', { url: p.url, code }), code, t('net.http.hint.tls'));
  if (NOT_FOUND.has(code))
    return fail(
      t('net.dns.failed', { name: new URL(p.url).hostname, code }),
      code,
      t('net.dns.hint.notfound'),
    );
  return fail(t('net.http.failed', { url: p.url, code: `${code} ${errMessage(f.err)}`.trim() }), code);
}

export const http = defineKind({
  kind: 'http',
  remote: true,
  params: httpParams,
  defaultTimeoutMs: 10_000,
  thresholds: { ttfb_ms: 'max', total_ms: 'max' },
  async run(p, ctx): Promise<CheckOutcome> {
    const budget = ownBudgetMs(ctx);
    const got = await fetchUrl(p, ctx, budget);
    return got.ok ? judgeAnswer(ctx.t, p, got.answer) : requestFailure(ctx.t, p, got, budget);
  },
});
