/**
 * `udp-quality`: what a video call would feel on this line. An RTP-like
 * stream (default 50 packets/s of 200 bytes, like 20 ms audio frames) goes
 * to a UDP reflector (the registry's, or `target:`) for `duration`; we
 * measure RTT (avg, p95), RFC 3550 jitter, loss, reordering, duplicates, and
 * estimate a MOS with the simplified E-model (emodel.ts). The method and its
 * measured accuracy are in docs/udp-quality.md.
 */
import { Type } from '@sinclair/typebox';
import type { MessageKey, Translator } from '../i18n/index.js';
import { toMs } from '../profile/duration.js';
import { mos } from './emodel.js';
import { errCode, errMessage, overLimits, ownBudgetMs, withDefaults } from './net-common.js';
import { cancelled, errored, judgedOutcome } from './outcome.js';
import { Duration, Limits, Port } from './params.js';
import { judgeMetrics, type Limits as LimitValues, round } from './thresholds.js';
import { type CheckOutcome, defineKind } from './types.js';
import { DEFAULT_REFLECTOR_PORT, PROBE_HEADER, PROBE_MAX, type ProbeStats, runProbe } from './udp-probe.js';

const udpLimits = {
  rtt_ms: 'Average round-trip time (ms).',
  rtt_p95_ms: '95th percentile of the round-trip time (ms).',
  jitter_ms: 'RFC 3550 interarrival jitter (ms).',
  loss_pct: 'Packets lost (%).',
  reorder_pct: 'Packets that arrived out of order (%).',
  duplicates: 'Packets that arrived twice.',
  mos: 'Estimated MOS, 1–4.5 (minimum).',
};

/**
 * Defaults: warn at the published targets for a client's path to a meeting
 * service (Microsoft Teams: RTT < 100 ms, jitter < 30 ms, loss < 1 %), fail
 * where calls break down: RTT 400 ms (ITU-T G.114's planning ceiling),
 * jitter 50 ms (Y.1541 class 0 IPDV), loss 3 % (Twilio's live loss warning);
 * MOS below 3.7 is "fair" and below 3.1 "degraded" in Twilio's grading.
 */
export const UDP_DEFAULT_WARN = { rtt_ms: 100, jitter_ms: 30, loss_pct: 1, mos: 3.7 } as const;
export const UDP_DEFAULT_FAIL = { rtt_ms: 400, jitter_ms: 50, loss_pct: 3, mos: 3.1 } as const;

export const TARGET_PATTERN = '^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_][A-Za-z0-9_.-]*):[0-9]{1,5}$';

export const udpQualityParams = Type.Object({
  target: Type.Optional(
    Type.String({
      pattern: TARGET_PATTERN,
      'x-allowed': 'udpq.allowed.target',
      description: 'A UDP reflector as host:port ([v6]:port); default: the registry host on reflector_port.',
    }),
  ),
  reflector_port: Type.Optional(Port),
  /** How long to send (default 10s). */
  duration: Type.Optional(Duration),
  pps: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 1000,
      description: 'Packets per second (default 50: 20 ms audio frames).',
    }),
  ),
  payload: Type.Optional(
    Type.Integer({
      minimum: PROBE_HEADER,
      maximum: PROBE_MAX,
      description: 'Bytes per datagram (default 200).',
    }),
  ),
  warn: Limits(udpLimits),
  fail: Limits(udpLimits),
});

/** "host:port" or "[v6]:port" → parts. */
export function parseTarget(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (m[1] ?? m[2]) as string, port };
}

const HINTS: Partial<Record<string, MessageKey>> = {
  rtt_ms: 'udpq.hint.rtt',
  rtt_p95_ms: 'udpq.hint.rtt',
  jitter_ms: 'udpq.hint.jitter',
  loss_pct: 'udpq.hint.loss',
  reorder_pct: 'udpq.hint.jitter',
  mos: 'udpq.hint.mos',
};

export const udpQuality = defineKind({
  kind: 'udp-quality',
  remote: true,
  params: udpQualityParams,
  defaultTimeoutMs: 30_000,
  thresholds: {
    rtt_ms: 'max',
    rtt_p95_ms: 'max',
    jitter_ms: 'max',
    loss_pct: 'max',
    reorder_pct: 'max',
    duplicates: 'max',
    mos: 'min',
  },
  async run(params, ctx): Promise<CheckOutcome> {
    const { t } = ctx;
    let where: { host: string; port: number } | undefined;
    if (params.target) where = parseTarget(params.target);
    else if (ctx.profile.registry?.url) {
      const host = new URL(ctx.profile.registry.url).hostname.replace(/^\[|\]$/g, '');
      where = { host, port: params.reflector_port ?? DEFAULT_REFLECTOR_PORT };
    }
    if (!where) {
      return errored('UDPQ_NO_TARGET', t('udpq.err.no_target'), { errorHint: t('udpq.hint.no_target') });
    }
    const pps = params.pps ?? 50;
    const wantedMs = toMs(params.duration ?? '10s', 10_000);
    // Leave room for the stragglers' grace period and the verdict inside the check's timeout.
    const budget = ownBudgetMs(ctx);
    const durationMs = Math.max(200, Math.min(wantedMs, budget - 2500));
    const count = Math.max(1, Math.round((durationMs / 1000) * pps));
    const targetText = where.host.includes(':')
      ? `[${where.host}]:${where.port}`
      : `${where.host}:${where.port}`;

    let stats: Awaited<ReturnType<typeof runProbe>>;
    try {
      stats = await runProbe({
        host: where.host,
        port: where.port,
        pps,
        count,
        size: params.payload ?? 200,
        signal: ctx.signal,
        maxGraceMs: Math.min(2000, Math.max(300, budget - durationMs - 500)),
        noReplyMs: Math.min(3000, Math.max(1000, budget / 3)),
      });
    } catch (err) {
      const message = t('udpq.err.socket', { target: targetText, reason: errCode(err) ?? errMessage(err) });
      return errored('UDPQ_SOCKET', message, { errorHint: t('udpq.hint.no_reply', { port: where.port }) });
    }
    const details = {
      ...stats,
      pps,
      payload: params.payload ?? 200,
      ...(durationMs < wantedMs ? { shortened_to_ms: durationMs } : {}),
    };
    return judgeStream(t, stats, details, targetText, where.port, params);
  },
});

/** What the stream came back as, judged against the limits (defaults included). */
function judgeStream(
  t: Translator,
  stats: ProbeStats,
  details: ProbeStats & Record<string, unknown>,
  target: string,
  port: number,
  limits: { warn?: LimitValues | undefined; fail?: LimitValues | undefined },
): CheckOutcome {
  if (stats.stopped === 'aborted') return cancelled(t('udpq.err.aborted'), { details });
  if (stats.received === 0) {
    const refused = stats.stopped === 'refused' || stats.refused > 0;
    const message = refused
      ? t('udpq.err.refused', { target })
      : t('udpq.err.no_reply', { target, sent: stats.sent });
    return errored(refused ? 'UDPQ_REFUSED' : 'UDPQ_NO_REPLY', message, {
      errorHint: t('udpq.hint.no_reply', { port }),
      details,
    });
  }
  const metrics: Record<string, number> = {
    rtt_ms: round(stats.rtt_avg_ms, 2),
    rtt_p95_ms: round(stats.rtt_p95_ms, 2),
    jitter_ms: round(stats.jitter_ms, 2),
    loss_pct: round(stats.loss_pct, 2),
    reorder_pct: round(stats.reorder_pct, 2),
    duplicates: stats.duplicates,
    mos: round(mos(stats.rtt_avg_ms, stats.jitter_ms, stats.loss_pct), 2),
  };
  const warn = withDefaults(limits.warn, UDP_DEFAULT_WARN);
  const fail = withDefaults(limits.fail, UDP_DEFAULT_FAIL);
  const judged = judgeMetrics(t, metrics, udpQuality.thresholds ?? {}, { warn, fail }, { hints: HINTS });
  const summary =
    t('udpq.ok', {
      target,
      received: stats.received,
      sent: stats.sent,
      rtt: metrics.rtt_ms as number,
      p95: metrics.rtt_p95_ms as number,
      jitter: metrics.jitter_ms as number,
      loss: metrics.loss_pct as number,
      mos: metrics.mos as number,
    }) + overLimits(t, judged);
  return judgedOutcome(judged, summary, { metrics, details, limits: { warn, fail } });
}
