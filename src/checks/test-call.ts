/**
 * `test-call`: the phiên thử, automated. Dial the bridge through the codec,
 * wait for connected, sample media stats for `duration`, hang up — always,
 * also on failure, timeout or Ctrl-C — and judge received loss, jitter and
 * rate. It never dials when the codec is already in a call: at night that
 * call may be someone's meeting.
 */
import { Type } from '@sinclair/typebox';
import type { Sampled } from '../drivers/call-flow.js';
import { DRIVER_ERRORS } from '../drivers/types.js';
import { DriverError } from '../errors.js';
import { toMs } from '../profile/duration.js';
import { driverOutcome, withCodec } from './codec-common.js';
import { Duration, Limits, oneOf } from './params.js';
import { judge, round } from './thresholds.js';
import { type CheckOutcome, defineKind } from './types.js';

const LIMITS = {
  loss_pct: 'Received packet loss over the call (%).',
  jitter_ms: 'Mean received jitter (ms).',
  rx_rate_kbps: 'Mean received media rate (kbps); a minimum.',
} as const;

/** Vendor and Huawei "red signal" figures (reference/vietnam-domain.md §2); a province overrides them. */
export const TEST_CALL_DEFAULTS = {
  warn: { loss_pct: 1, jitter_ms: 30 },
  fail: { loss_pct: 3, jitter_ms: 50 },
} as const;

const CALL_FAILURES: ReadonlySet<string> = new Set([
  DRIVER_ERRORS.rejected,
  DRIVER_ERRORS.noAnswer,
  DRIVER_ERRORS.commandFailed,
]);

/** Time kept back at the end of the check's budget to hang up (at most a quarter of it). */
const HANGUP_MARGIN_MS = 5_000;

/** The test call's figures in base units (shared with `diemcau dial --test`). */
export function testCallMetrics(connectMs: number | undefined, sampled: Sampled): Record<string, number> {
  const s = sampled.summary;
  const metrics: Record<string, number> = {
    connect_s: round((connectMs ?? 0) / 1000),
    rx_rate_kbps: round(s.rx_rate_kbps),
    tx_rate_kbps: round(s.tx_rate_kbps),
    sampled_s: round(sampled.sampledMs / 1000, 1),
  };
  if (s.rx_loss_pct !== undefined) metrics.loss_pct = round(s.rx_loss_pct);
  if (s.jitter_ms !== undefined) metrics.jitter_ms = round(s.jitter_ms);
  return metrics;
}

/** Pass / warn / fail against the limits; no received media at all is a failure whatever the limits. */
export function judgeTestCall(
  metrics: Record<string, number>,
  sampled: Sampled,
  warn: Record<string, number>,
  fail: Record<string, number>,
): { status: 'pass' | 'warn' | 'fail'; noMedia: boolean; breach: string } {
  const noMedia = sampled.summary.rx_channels === 0 || sampled.summary.rx_rate_kbps <= 0;
  const verdict = judge(metrics, { loss_pct: 'max', jitter_ms: 'max', rx_rate_kbps: 'min' }, warn, fail);
  const breach = verdict.breaches.map((b) => `${b.metric} ${b.value} (${b.level} ${b.limit})`).join(', ');
  return { status: noMedia ? 'fail' : verdict.status, noMedia, breach };
}

export const testCall = defineKind({
  kind: 'test-call',
  remote: true,
  params: Type.Object({
    bridge: Type.Optional(
      Type.String({ minLength: 1, description: 'Id of a bridge in `bridges` (default: the first one).' }),
    ),
    uri: Type.Optional(
      Type.String({ minLength: 1, description: 'A number or URI to dial instead of a bridge.' }),
    ),
    protocol: Type.Optional(oneOf(['sip', 'h323', 'auto'] as const)),
    rate_kbps: Type.Optional(Type.Integer({ minimum: 64, maximum: 20000 })),
    duration: Type.Optional(Duration),
    connect_timeout: Type.Optional(Duration),
    warn: Limits(LIMITS),
    fail: Limits(LIMITS),
  }),
  defaultTimeoutMs: 90_000,
  thresholds: { loss_pct: 'max', jitter_ms: 'max', rx_rate_kbps: 'min' },
  async run(params, ctx) {
    const { t } = ctx;
    let number: string;
    let protocol = params.protocol;
    let rate = params.rate_kbps;
    if (params.uri) {
      number = params.uri;
    } else {
      const bridge = params.bridge
        ? ctx.profile.bridges.find((b) => b.id === params.bridge)
        : ctx.profile.bridges[0];
      if (!bridge) {
        const message = params.bridge
          ? t('codec.sip.no_bridge', { id: params.bridge })
          : t('codec.sip.no_target');
        return {
          status: 'error',
          summary: message,
          error: { code: 'BRIDGE_UNKNOWN', message, hint: t('codec.sip.hint.no_bridge') },
        };
      }
      const { dialString, protocolOf } = await import('../drivers/call-flow.js');
      number = dialString(bridge.uri);
      protocol ??= protocolOf(bridge);
      rate ??= bridge.rate_kbps;
    }
    const warn = { ...TEST_CALL_DEFAULTS.warn, ...params.warn };
    const fail = { ...TEST_CALL_DEFAULTS.fail, ...params.fail };
    const budget = ctx.timeoutMs - Math.min(HANGUP_MARGIN_MS, ctx.timeoutMs / 4);
    const connectMs = Math.max(1_000, Math.min(toMs(params.connect_timeout, 30_000), budget - 1_000));
    const wantMs = toMs(params.duration, 20_000);

    return withCodec(ctx, ['dial', 'hangup', 'calls', 'mediaStats'], 'error', async (driver) => {
      const flow = await import('../drivers/call-flow.js');
      if (!flow.canTestCall(driver)) throw new Error('unreachable: capabilities were checked');
      const t0 = performance.now();
      await flow.assertIdle(driver, t);
      let placed: Awaited<ReturnType<typeof flow.dialAndWait>>;
      try {
        placed = await flow.dialAndWait(driver, {
          number,
          protocol: protocol ?? 'sip',
          rateKbps: rate,
          waitMs: connectMs,
          signal: ctx.signal,
          t,
        });
      } catch (err) {
        // The bridge refused or never answered: that is what this check is for (a fail, not an error).
        if (err instanceof DriverError && CALL_FAILURES.has(err.code))
          return { ...driverOutcome(err, ctx, 'fail'), details: { number } };
        throw err;
      }
      const details: Record<string, unknown> = {
        number,
        protocol: protocol ?? 'sip',
        rate_kbps: rate,
        callId: placed.callId,
      };
      let outcome: CheckOutcome;
      try {
        // Sample for the duration asked, but never past the budget: the hang-up must fit in it.
        const durationMs = Math.max(0, Math.min(wantMs, budget - (performance.now() - t0)));
        const sampled = await flow.sampleMedia(driver, placed.callId, { durationMs, signal: ctx.signal, t });
        const metrics = testCallMetrics(placed.connectMs, sampled);
        details.last = sampled.samples[sampled.samples.length - 1];
        details.jitter_max_ms = sampled.summary.jitter_max_ms;
        details.samples = sampled.samples.length;
        const verdict = judgeTestCall(metrics, sampled, warn, fail);
        if (ctx.signal.aborted) {
          outcome = {
            status: 'error',
            summary: t('engine.cancelled'),
            metrics,
            details,
            error: { code: 'CANCELLED', message: t('engine.cancelled') },
          };
        } else if (verdict.noMedia) {
          outcome = {
            status: 'fail',
            summary: t('codec.call.no_media', { number }),
            metrics,
            details,
            hint: t('codec.call.hint.no_media'),
          };
        } else {
          const summary = t('codec.call.summary', {
            number,
            s: metrics.sampled_s as number,
            loss: metrics.loss_pct ?? '?',
            jitter: metrics.jitter_ms ?? '?',
            rate: metrics.rx_rate_kbps as number,
          });
          outcome = {
            status: verdict.status,
            summary: verdict.breach ? `${summary}: ${verdict.breach}` : summary,
            metrics,
            details,
            ...(verdict.status === 'pass' ? {} : { hint: t('codec.call.hint.quality') }),
          };
        }
      } catch (err) {
        outcome = driverOutcome(err, ctx, 'fail');
        outcome.details = details;
      }
      const hung = await flow.hangupQuietly(driver, placed.callId);
      details.hungUp = hung.ok;
      if (!hung.ok) {
        // A call left up blocks the room: say so loudly, whatever the media looked like.
        const message = t('codec.call.hangup_failed', { id: placed.callId, reason: hung.error ?? '?' });
        return {
          ...outcome,
          status: 'error',
          summary: message,
          error: { code: 'HANGUP_FAILED', message, hint: t('codec.call.hint.hangup_failed') },
        };
      }
      return { ...outcome, limits: { warn, fail } };
    });
  },
});
