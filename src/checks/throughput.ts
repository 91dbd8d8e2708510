/**
 * `throughput`: download and upload speed against the registry's speed test
 * (GET/POST /v1/speedtest), each for a bounded time (default 5 s), in
 * Mbit/s, compared with what the call needs: by default the bridge's call
 * rate × 1.25 (media plus IP/UDP/RTP overhead and room for audio, content
 * and retransmissions).
 */
import { Readable } from 'node:stream';
import { type Static, Type } from '@sinclair/typebox';
import type { Translator } from '../i18n/index.js';
import type { BridgeConfig } from '../model/bridge.js';
import { toMs } from '../profile/duration.js';
import { errCode, errMessage, overLimits, ownBudgetMs, withDefaults } from './net-common.js';
import { cancelled, errored } from './outcome.js';
import { Duration, Limits, oneOf } from './params.js';
import { judgeMetrics, round } from './thresholds.js';
import { type CheckOutcome, defineKind } from './types.js';

/** The call rate times this is the bandwidth needed. */
export const RATE_HEADROOM = 1.25;
/** Bytes asked for per download request; the loop asks again if the time is not up. */
const DOWNLOAD_CHUNK = 100 * 1024 * 1024;
const UPLOAD_BLOCK = 64 * 1024;
/** Bytes sent per upload request, well under the server's cap (speedtest.ts: 1 GiB). */
const UPLOAD_CHUNK = 100 * 1024 * 1024;
/** How long after the end of an upload its answer may take. */
const UPLOAD_ANSWER_MS = 3000;

const tputLimits = {
  down_mbps: 'Download, Mbit/s (minimum).',
  up_mbps: 'Upload, Mbit/s (minimum).',
};

export const throughputParams = Type.Object({
  url: Type.Optional(
    Type.String({
      pattern: '^https?://',
      'x-allowed': 'profile.allowed.url',
      description: 'Base URL of a registry (default: registry.url).',
    }),
  ),
  bridge: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'The bridge whose rate_kbps sets the need (default: the fastest bridge).',
    }),
  ),
  /** Time per direction (default 5s). */
  duration: Type.Optional(Duration),
  direction: Type.Optional(oneOf(['both', 'down', 'up'] as const, 'What to measure (default both).')),
  min_down_mbps: Type.Optional(
    Type.Number({ minimum: 0, description: 'Download needed, Mbit/s (default: bridge rate × 1.25).' }),
  ),
  min_up_mbps: Type.Optional(
    Type.Number({ minimum: 0, description: 'Upload needed, Mbit/s (default: bridge rate × 1.25).' }),
  ),
  warn: Limits(tputLimits),
  fail: Limits(tputLimits),
});

/** The need from the bridges: the named one, else the fastest; undefined when none has a rate. */
export function neededMbps(
  bridges: readonly BridgeConfig[],
  bridgeId: string | undefined,
): { mbps: number; rateKbps: number } | undefined {
  const candidates = bridgeId ? bridges.filter((b) => b.id === bridgeId) : bridges;
  const rate = Math.max(0, ...candidates.map((b) => b.rate_kbps ?? 0));
  return rate > 0 ? { mbps: round((rate * RATE_HEADROOM) / 1000, 2), rateKbps: rate } : undefined;
}

type Fail = {
  code: string;
  key: 'tput.err.unreachable' | 'tput.err.http' | 'tput.err.auth' | 'tput.err.empty' | 'tput.err.no_answer';
  status?: number;
  reason?: string;
};

class SpeedtestFailure extends Error {
  constructor(readonly info: Fail) {
    super(info.code);
  }
}

interface Measured {
  bytes: number;
  seconds: number;
  mbps: number;
}

const mbps = (bytes: number, seconds: number) => (seconds > 0 ? (bytes * 8) / seconds / 1e6 : 0);

type Undici = typeof import('undici');

/** What both legs share: where, how long, and the connections to use. */
interface Leg {
  url: string;
  headers: Record<string, string>;
  legMs: number;
  signal: AbortSignal;
  now: () => number;
  request: Undici['request'];
  dispatcher: InstanceType<Undici['Agent']>;
}

function checkStatus(status: number): void {
  if (status === 401 || status === 403)
    throw new SpeedtestFailure({ code: 'TPUT_AUTH', key: 'tput.err.auth', status });
  if (status !== 200) throw new SpeedtestFailure({ code: 'TPUT_HTTP', key: 'tput.err.http', status });
}

/** Download for the leg's time, request after request; timed from the first byte to the last. */
async function download(leg: Leg): Promise<Measured> {
  const { now, signal } = leg;
  const deadline = now() + leg.legMs;
  let bytes = 0;
  let first: number | undefined;
  let last = 0;
  while (now() < deadline && !signal.aborted) {
    const ac = new AbortController();
    const stop = () => ac.abort();
    const timer = setTimeout(stop, Math.max(1, deadline - now() + 1000));
    signal.addEventListener('abort', stop, { once: true });
    try {
      const res = await leg.request(`${leg.url}?bytes=${DOWNLOAD_CHUNK}`, {
        headers: leg.headers,
        signal: ac.signal,
        dispatcher: leg.dispatcher,
      });
      if (res.statusCode !== 200) {
        await res.body.dump();
        checkStatus(res.statusCode);
      }
      for await (const chunk of res.body) {
        const at = now();
        first ??= at;
        last = at;
        bytes += (chunk as Buffer).length;
        if (at >= deadline) break;
      }
      if (!res.body.destroyed) res.body.destroy();
    } catch (err) {
      // Our own time limit cut a silent or slow request: the leg is over, judge what came.
      if (!ac.signal.aborted || signal.aborted) throw err;
      break;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
    }
  }
  if (first === undefined || bytes === 0)
    throw new SpeedtestFailure({ code: 'TPUT_EMPTY', key: 'tput.err.empty' });
  const seconds = (last - first) / 1000;
  return { bytes, seconds: round(seconds, 3), mbps: mbps(bytes, seconds) };
}

/** Upload for the leg's time; the server counts the bytes and the time. */
async function upload(leg: Leg): Promise<Measured> {
  const { now, signal } = leg;
  const block = Buffer.alloc(UPLOAD_BLOCK);
  // Not all zeros, in case something on the way compresses.
  for (let i = 0; i < block.length; i += 1) block[i] = (i * 2654435761) >>> 24;
  const deadline = now() + leg.legMs;
  let bytes = 0;
  let ms = 0;
  // Requests of at most UPLOAD_CHUNK bytes, one after another until the time is up: the
  // server caps one upload, and a fast line would pass the cap within the leg.
  while (now() < deadline && !signal.aborted) {
    async function* body() {
      for (let n = 0; n < UPLOAD_CHUNK && now() < deadline && !signal.aborted; n += block.length) yield block;
    }
    // The answer must come soon after the body ends; a server that never answers ends the leg.
    const limit = AbortSignal.timeout(Math.max(1000, Math.round(deadline - now() + UPLOAD_ANSWER_MS)));
    let res: Awaited<ReturnType<Undici['request']>>;
    try {
      res = await leg.request(leg.url, {
        method: 'POST',
        headers: { ...leg.headers, 'content-type': 'application/octet-stream' },
        body: Readable.from(body()),
        signal: AbortSignal.any([signal, limit]),
        dispatcher: leg.dispatcher,
      });
    } catch (err) {
      if (limit.aborted && !signal.aborted)
        throw new SpeedtestFailure({ code: 'TPUT_NO_ANSWER', key: 'tput.err.no_answer' });
      throw err;
    }
    if (res.statusCode !== 200) {
      await res.body.dump();
      checkStatus(res.statusCode);
    }
    const answer = (await res.body.json()) as { bytes?: unknown; ms?: unknown };
    // The server's count and clock: bytes still in our socket buffer when we stopped are not counted.
    if (typeof answer.bytes !== 'number' || typeof answer.ms !== 'number') {
      throw new SpeedtestFailure({ code: 'TPUT_HTTP', key: 'tput.err.http', status: res.statusCode });
    }
    bytes += answer.bytes;
    ms += answer.ms;
  }
  if (bytes === 0 || ms <= 0) throw new SpeedtestFailure({ code: 'TPUT_EMPTY', key: 'tput.err.empty' });
  return { bytes, seconds: round(ms / 1000, 3), mbps: mbps(bytes, ms / 1000) };
}

/** Why the speed test could not measure, and what to try. */
function speedtestError(t: Translator, err: unknown, url: string, legMs: number): CheckOutcome {
  const info: Fail =
    err instanceof SpeedtestFailure
      ? err.info
      : { code: 'TPUT_UNREACHABLE', key: 'tput.err.unreachable', reason: errCode(err) ?? errMessage(err) };
  const s = ((legMs + (info.key === 'tput.err.no_answer' ? UPLOAD_ANSWER_MS : 0)) / 1000).toFixed(0);
  const message = t(info.key, { url, status: info.status ?? 0, reason: info.reason ?? '', s });
  const hintKey =
    info.key === 'tput.err.auth'
      ? 'tput.hint.auth'
      : info.key === 'tput.err.http'
        ? 'tput.hint.http'
        : 'tput.hint.unreachable';
  return errored(info.code, message, { errorHint: t(hintKey) });
}

/** The speeds against what the call needs (the profile's limits, else the bridge's rate). */
function judgeSpeed(
  t: Translator,
  params: Static<typeof throughputParams>,
  bridges: readonly BridgeConfig[],
  measured: { url: string; legMs: number; down?: Measured | undefined; up?: Measured | undefined },
): CheckOutcome {
  const { url, down, up } = measured;
  const metrics: Record<string, number> = {};
  if (down) metrics.down_mbps = round(down.mbps, 2);
  if (up) metrics.up_mbps = round(up.mbps, 2);
  const need = neededMbps(bridges, params.bridge);
  const defaults: Record<string, number> = {};
  const minDown = params.min_down_mbps ?? need?.mbps;
  const minUp = params.min_up_mbps ?? need?.mbps;
  if (minDown !== undefined) defaults.down_mbps = minDown;
  if (minUp !== undefined) defaults.up_mbps = minUp;
  const fail = withDefaults(params.fail, defaults);
  const warn = withDefaults(params.warn, {});
  const judged = judgeMetrics(t, metrics, throughput.thresholds ?? {}, { warn, fail });
  const parts: string[] = [];
  if (down) parts.push(t('tput.part.down', { mbps: metrics.down_mbps as number }));
  if (up) parts.push(t('tput.part.up', { mbps: metrics.up_mbps as number }));
  const needShown = Math.max(fail.down_mbps ?? 0, fail.up_mbps ?? 0);
  if (needShown > 0) parts.push(t('tput.part.need', { need: needShown }));
  return {
    status: judged.status,
    summary: t('tput.ok', { parts: parts.join(', '), url }) + overLimits(t, judged),
    metrics,
    details: {
      url,
      duration_s: round(measured.legMs / 1000, 1),
      ...(down ? { down } : {}),
      ...(up ? { up } : {}),
      ...(need ? { bridge_rate_kbps: need.rateKbps } : {}),
    },
    limits: { warn, fail },
    ...(judged.status !== 'pass' ? { hint: t('tput.hint.slow', { need: needShown }) } : {}),
  };
}

export const throughput = defineKind({
  kind: 'throughput',
  remote: true,
  params: throughputParams,
  defaultTimeoutMs: 30_000,
  thresholds: { down_mbps: 'min', up_mbps: 'min' },
  async run(params, ctx): Promise<CheckOutcome> {
    const { t } = ctx;
    const base = params.url ?? ctx.profile.registry?.url;
    if (!base) return errored('TPUT_NO_URL', t('tput.err.no_url'), { errorHint: t('tput.hint.no_url') });
    const url = `${base.replace(/\/+$/, '')}/v1/speedtest`;
    const direction = params.direction ?? 'both';
    const legs = direction === 'both' ? 2 : 1;
    const budget = ownBudgetMs(ctx);
    // Each leg gets its time; keep 2 s of the budget for connecting and the answer.
    const legMs = Math.max(500, Math.min(toMs(params.duration ?? '5s', 5000), (budget - 2000) / legs));
    const headers: Record<string, string> = {};
    if (ctx.profile.registry?.token && !params.url)
      headers.authorization = `Bearer ${ctx.profile.registry.token}`;
    const { Agent, request } = await import('undici');
    // Our own connection pool, torn down at the end: a download cut short leaves its connection
    // mid-response, and it must not be reused for the upload or linger after the check.
    const dispatcher = new Agent({ connections: 2 });
    const leg: Leg = {
      url,
      headers,
      legMs,
      signal: ctx.signal,
      now: () => ctx.clock.monotonic(),
      request,
      dispatcher,
    };
    let down: Measured | undefined;
    let up: Measured | undefined;
    try {
      if (direction !== 'up') down = await download(leg);
      if (direction !== 'down') up = await upload(leg);
    } catch (err) {
      return ctx.signal.aborted ? cancelled(t('tput.err.aborted')) : speedtestError(t, err, url, legMs);
    } finally {
      void dispatcher.destroy().catch(() => {});
    }
    return judgeSpeed(t, params, ctx.profile.bridges, { url, legMs, down, up });
  },
});
