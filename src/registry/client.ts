/**
 * The registry client (Node's own `node:http`/`node:https`): timeouts on
 * connect, headers and body; retries with exponential backoff and jitter for
 * connection errors, 5xx, 408 and 429 (POSTs carry an Idempotency-Key, so a
 * retry never stores twice). It returns outcomes as data; callers decide what
 * is an error. Not undici, which costs every `report`, `incident`, `meeting`
 * and `site` command about 380 M instructions to load before its first
 * request (docs/architecture.md, "Start-up cost"); the failures keep undici's
 * codes (src/registry/http-exchange.ts), which the messages name.
 */
import type { Agent } from 'node:http';
import { readAtMost } from '../util/read-body.js';
import { sleep } from '../util/sleep.js';
import { agentFor, exchange } from './http-exchange.js';

export interface ClientOptions {
  /** Base URL, e.g. https://hnth.thanhhoa.gov.vn (a path prefix is kept). */
  url: string;
  token?: string;
  /** Per attempt: connect, first byte and body each (default 10 s). */
  timeoutMs?: number;
  /** Extra attempts after the first (default 2). */
  retries?: number;
  /** First backoff (default 300 ms); doubles each time, with jitter, at most 5 s. */
  backoffMs?: number;
  signal?: AbortSignal;
  userAgent?: string;
  /** The whole request, every attempt and backoff included (default 60 s; docs/operations.md). */
  deadlineMs?: number;
  /** Largest reply read, in bytes (default 32 MiB); a larger one is dropped unread. */
  maxReplyBytes?: number;
  /**
   * PEM of a CA (a provincial one) trusted for https:// besides the system's roots
   * (docs/operations.md, TLS). Certificates are always verified; there is no way to turn that off.
   */
  ca?: string;
}

export const DEFAULT_DEADLINE_MS = 60_000;
export const DEFAULT_MAX_REPLY_BYTES = 32 * 1024 * 1024;

export type Outcome<T = unknown> =
  | { kind: 'ok'; status: number; body: T; replayed: boolean }
  | {
      kind: 'http-error';
      status: number;
      code: string;
      message: string;
      field?: string;
      /** What the server's message names (docs/registry-api.md, errors): the client words it itself. */
      params?: Record<string, string>;
      /**
       * The answer is not the registry's JSON (a redirect, a captive portal's HTML page, a
       * proxy's error page): nothing says the registry saw the request, nor refused it.
       */
      foreign?: true;
    }
  | {
      kind: 'unreachable';
      message: string;
      cancelled: boolean;
      /** The network error's code (ECONNREFUSED, ENOTFOUND, UND_ERR_CONNECT_TIMEOUT, a certificate's code). */
      code?: string;
      /** The registry's TLS certificate could not be verified (never retried, never sent over plain HTTP). */
      certificate?: true;
    };

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  idempotencyKey?: string;
}

/** OpenSSL's and Node's codes for a certificate that does not verify (expired, unknown CA, wrong name...). */
const CERT_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)|ALTNAME/;
const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const MAX_BACKOFF_MS = 5000;

export class RegistryClient {
  /** Made on the first request (node:https is loaded only for an https:// registry). */
  private agent: Promise<Agent> | undefined;
  private readonly base: string;
  private readonly timeoutMs: number;
  constructor(private readonly opts: ClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.base = opts.url.replace(/\/+$/, '');
  }

  get url(): string {
    return this.base;
  }

  async close(): Promise<void> {
    const agent = this.agent;
    this.agent = undefined;
    (await agent)?.destroy();
  }

  async send<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    ro: RequestOptions = {},
  ): Promise<Outcome<T>> {
    const url = new URL(this.base + path);
    for (const [k, v] of Object.entries(ro.query ?? {}))
      if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.opts.userAgent) headers['user-agent'] = this.opts.userAgent;
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    if (ro.idempotencyKey) headers['idempotency-key'] = ro.idempotencyKey;
    let payload: string | undefined;
    if (ro.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(ro.body);
    }
    const retries = this.opts.retries ?? 2;
    const deadlineMs = this.opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const deadline = AbortSignal.timeout(deadlineMs);
    const signal = this.opts.signal ? AbortSignal.any([this.opts.signal, deadline]) : deadline;
    const late = (): Outcome<T> => ({
      kind: 'unreachable',
      message: `no complete answer within ${deadlineMs} ms`,
      cancelled: false,
      code: 'ETIMEDOUT',
    });
    let last: Outcome<T> = { kind: 'unreachable', message: 'not tried', cancelled: false };
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        const wait = this.backoff(attempt, last);
        if (!(await sleep(wait, signal)))
          return this.opts.signal?.aborted
            ? { kind: 'unreachable', message: 'cancelled', cancelled: true }
            : late();
      }
      last = await this.once<T>(method, url, headers, payload, signal);
      if (last.kind === 'unreachable' && deadline.aborted && !this.opts.signal?.aborted) return late();
      if (last.kind === 'ok') return last;
      if (last.kind === 'unreachable' && (last.cancelled || last.certificate)) return last;
      if (last.kind === 'http-error' && !RETRY_STATUS.has(last.status)) return last;
    }
    return last;
  }

  private backoff(attempt: number, last: Outcome<unknown>): number {
    const base = this.opts.backoffMs ?? 300;
    let ms = Math.min(MAX_BACKOFF_MS, base * 2 ** (attempt - 1));
    ms = ms / 2 + Math.random() * (ms / 2);
    if (last.kind === 'http-error' && (last as { retryAfterMs?: number }).retryAfterMs !== undefined) {
      ms = Math.min(MAX_BACKOFF_MS, (last as { retryAfterMs?: number }).retryAfterMs as number);
    }
    return ms;
  }

  private async once<T>(
    method: string,
    url: URL,
    headers: Record<string, string>,
    payload: string | undefined,
    signal: AbortSignal,
  ): Promise<Outcome<T>> {
    try {
      this.agent ??= agentFor(url.protocol === 'https:', this.opts.ca);
      const res = await exchange(url, {
        method,
        headers,
        payload,
        agent: await this.agent,
        signal,
        timeoutMs: this.timeoutMs,
      });
      const max = this.opts.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
      const raw = await readAtMost(res.body, res.headers['content-length'], max);
      if (raw === undefined) {
        return {
          kind: 'http-error',
          status: res.statusCode,
          code: 'reply_too_large',
          message: `the reply is larger than ${max} bytes (DIEMCAU_REGISTRY_MAX_REPLY)`,
          foreign: true,
        };
      }
      const text = raw.toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      const type =
        String(res.headers['content-type'] ?? '')
          .split(';')[0]
          ?.trim() ?? '';
      const json = /^application\/([\w.-]+\+)?json$/i.test(type) && body !== undefined;
      if (res.statusCode >= 300 && res.statusCode < 400) {
        // Never followed: a token is only ever sent to the registry it was given for.
        return {
          kind: 'http-error',
          status: res.statusCode,
          code: 'redirect',
          message: `HTTP ${res.statusCode}: a redirect, not an answer of the registry`,
          foreign: true,
        };
      }
      if (res.statusCode >= 200 && res.statusCode < 300 && !json) {
        return {
          kind: 'http-error',
          status: res.statusCode,
          code: 'not_json',
          message: `HTTP ${res.statusCode} ${type || 'without a content type'}: not an answer of the registry (a login page or a proxy in the way?)`,
          foreign: true,
        };
      }
      if (res.statusCode >= 200 && res.statusCode < 300) {
        return {
          kind: 'ok',
          status: res.statusCode,
          body: body as T,
          replayed: res.headers['idempotent-replayed'] === 'true',
        };
      }
      const err = (
        body as
          | { error?: { code?: string; message?: string; field?: string; params?: Record<string, unknown> } }
          | undefined
      )?.error;
      const params = stringParams(err?.params);
      const retryAfter = Number(res.headers['retry-after']);
      return {
        kind: 'http-error',
        status: res.statusCode,
        code: err?.code ?? `http_${res.statusCode}`,
        message: err?.message ?? (text.slice(0, 200) || `HTTP ${res.statusCode}`),
        ...(err?.field ? { field: err.field } : {}),
        ...(params ? { params } : {}),
        ...(json && typeof err?.code === 'string' ? {} : { foreign: true as const }),
        ...(Number.isFinite(retryAfter) ? { retryAfterMs: retryAfter * 1000 } : {}),
      };
    } catch (err) {
      const cancelled = this.opts.signal?.aborted === true;
      const e = err as { code?: string; message?: string; cause?: { code?: string } };
      const code = e.code ?? e.cause?.code;
      return {
        kind: 'unreachable',
        message: code ? `${code}: ${e.message ?? ''}`.trim() : String(e.message ?? err),
        cancelled,
        ...(code ? { code } : {}),
        ...(code && CERT_ERRORS.test(code) ? { certificate: true as const } : {}),
      };
    }
  }
}

/** The error's params, strings only (anything else a server sends there is dropped). */
function stringParams(raw: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const out = Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string');
  return out.length > 0 ? Object.fromEntries(out) : undefined;
}
