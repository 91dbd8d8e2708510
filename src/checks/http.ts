/**
 * `http`: a URL answers the expected status, optionally with a text in its
 * body, within a time. Redirects are not followed: a 3xx is reported as it
 * is (a portal that starts redirecting to a login page is news).
 *
 * undici is imported inside run(): profile validation loads every kind.
 */
import { Type } from '@sinclair/typebox';
import { formatNumber } from '../report/metrics.js';
import { errCode, errMessage, judgeMetrics, ownBudgetMs, seconds } from './net-common.js';
import { Limits, oneOf } from './params.js';
import { round } from './thresholds.js';
import { type CheckOutcome, defineKind } from './types.js';

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

export const http = defineKind({
  kind: 'http',
  remote: true,
  params: Type.Object({
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
    insecure_tls: Type.Optional(
      Type.Boolean({ description: 'Accept a self-signed or expired certificate.' }),
    ),
    warn: Limits(httpLimits),
    fail: Limits(httpLimits),
  }),
  defaultTimeoutMs: 10_000,
  thresholds: { ttfb_ms: 'max', total_ms: 'max' },
  async run(p, ctx): Promise<CheckOutcome> {
    const { t } = ctx;
    const { Agent, request } = await import('undici');
    const method = p.method ?? 'GET';
    const expected =
      p.expect_status === undefined
        ? undefined
        : Array.isArray(p.expect_status)
          ? p.expect_status
          : [p.expect_status];
    const budget = ownBudgetMs(ctx);
    // One agent per run, destroyed at the end: no keep-alive socket outlives the check.
    const agent = new Agent({
      connect: { rejectUnauthorized: !p.insecure_tls, timeout: budget },
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
    });
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
      const res = await request(p.url, {
        method,
        dispatcher: agent,
        signal: controller.signal,
        headersTimeout: ctx.timeoutMs,
        bodyTimeout: ctx.timeoutMs,
        headers: { 'user-agent': 'diemcau', accept: '*/*' },
      });
      const ttfb = ctx.clock.monotonic() - t0;
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
      const total = ctx.clock.monotonic() - t0;
      const metrics = { status: res.statusCode, ttfb_ms: round(ttfb, 3), total_ms: round(total, 3), bytes };
      const location = res.headers.location;
      const details = {
        url: p.url,
        method,
        status: res.statusCode,
        ...(typeof location === 'string' ? { location } : {}),
        ...(typeof res.headers['content-type'] === 'string'
          ? { content_type: res.headers['content-type'] }
          : {}),
      };
      const okStatus = expected
        ? expected.includes(res.statusCode)
        : res.statusCode >= 200 && res.statusCode < 400;
      if (!okStatus) {
        const message = t('net.http.bad_status', {
          url: p.url,
          status: res.statusCode,
          expected: expected ? expected.join(', ') : t('net.http.any_ok'),
        });
        const hint = t('net.http.hint.bad_status');
        return {
          status: 'fail',
          summary: message,
          metrics,
          details,
          error: { code: 'HTTP_STATUS', message, hint },
          hint,
        };
      }
      if (p.contains && method === 'GET' && !Buffer.concat(kept).toString('utf8').includes(p.contains)) {
        const message = t('net.http.missing_text', { url: p.url, text: p.contains });
        const hint = t('net.http.hint.missing_text');
        return {
          status: 'fail',
          summary: message,
          metrics,
          details,
          error: { code: 'HTTP_CONTENT', message, hint },
          hint,
        };
      }
      const judged = judgeMetrics(t, metrics, http.thresholds ?? {}, p.warn, p.fail, {
        ttfb_ms: 'net.http.hint.timeout',
        total_ms: 'net.http.hint.timeout',
      });
      return {
        status: judged.status,
        summary:
          t('net.http.ok', {
            method,
            url: p.url,
            status: res.statusCode,
            ttfb: formatNumber(metrics.ttfb_ms as number),
            total: formatNumber(metrics.total_ms as number),
          }) + judged.suffix,
        metrics,
        details,
        ...(judged.hint ? { hint: judged.hint } : {}),
      };
    } catch (err) {
      const details = { url: p.url, method };
      if (stopped === 'cancelled') {
        const message = t('net.cancelled');
        return { status: 'error', summary: message, error: { code: 'CANCELLED', message } };
      }
      const code = stopped === 'timeout' ? 'TIMEOUT' : (errCode(err) ?? 'HTTP_FAILED');
      const fail = (message: string, c: string, hint?: string): CheckOutcome => ({
        status: 'fail',
        summary: message,
        details,
        error: { code: c, message, ...(hint ? { hint } : {}) },
        ...(hint ? { hint } : {}),
      });
      if (code === 'TIMEOUT' || TIMEOUT_CODES.has(code)) {
        return fail(
          t('net.http.timeout', { url: p.url, s: seconds(budget) }),
          'TIMEOUT',
          t('net.http.hint.timeout'),
        );
      }
      if (code === 'ECONNREFUSED')
        return fail(t('net.http.refused', { url: p.url }), code, t('net.http.hint.refused'));
      if (TLS_CODE.test(code))
        return fail(t('net.http.tls', { url: p.url, code }), code, t('net.http.hint.tls'));
      if (NOT_FOUND.has(code))
        return fail(
          t('net.dns.failed', { name: new URL(p.url).hostname, code }),
          code,
          t('net.dns.hint.notfound'),
        );
      return fail(t('net.http.failed', { url: p.url, code: `${code} ${errMessage(err)}`.trim() }), code);
    } finally {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      await agent.destroy().catch(() => {});
    }
  },
});
