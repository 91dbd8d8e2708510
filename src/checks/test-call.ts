/**
 * `test-call`: the phiên thử, automated. Dial the bridge through the codec,
 * wait for connected, sample media stats for `duration`, hang up — always,
 * also on failure, timeout or Ctrl-C — and judge received loss, jitter and
 * rate. It never dials when the codec is already in a call: at night that
 * call may be someone's meeting.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Placed, Sampled } from '../drivers/call-flow.js';
import { CallRefusedError } from '../drivers/refusal.js';
import { type CodecDriver, type DialProtocol, DRIVER_ERRORS } from '../drivers/types.js';
import { DriverError } from '../errors.js';
import { toMs } from '../profile/duration.js';
import { driverOutcome, withCodec } from './codec-common.js';
import { cancelled, errored, failed } from './outcome.js';
import { Duration, Limits, oneOf } from './params.js';
import { judge, round } from './thresholds.js';
import { type CheckContext, type CheckOutcome, defineKind } from './types.js';

const LIMITS = {
  loss_pct: 'Received packet loss over the call (%).',
  jitter_ms: 'Mean received jitter (ms).',
  rx_rate_kbps: 'Mean received media rate (kbps); a minimum.',
} as const;

/** Vendor and Huawei "red signal" figures (docs/references.md §5); a province overrides them. */
export const TEST_CALL_DEFAULTS = {
  warn: { loss_pct: 1, jitter_ms: 30 },
  fail: { loss_pct: 3, jitter_ms: 50 },
} as const;

const CALL_FAILURES: ReadonlySet<string> = new Set([
  DRIVER_ERRORS.rejected,
  DRIVER_ERRORS.noAnswer,
  DRIVER_ERRORS.commandFailed,
]);

/** A refusal's details and figures: the category, the SIP code when known, the codec's words. */
function refusalOutcome(err: DriverError, number: string): CheckOutcome {
  const why = err instanceof CallRefusedError ? err.details() : undefined;
  const hint = err.hint;
  return failed(err.code, err.message, {
    ...(hint ? { hint, errorHint: hint } : {}),
    details: { number, ...why },
    ...(why?.sip_code !== undefined ? { metrics: { sip_code: why.sip_code } } : {}),
  });
}

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

const Params = Type.Object({
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
});

interface Target {
  number: string;
  protocol: DialProtocol;
  rateKbps: number | undefined;
}

/** What to dial: `uri`, else the bridge named (or the first one); an outcome when there is none. */
async function resolveTarget(
  params: Static<typeof Params>,
  ctx: CheckContext,
): Promise<Target | CheckOutcome> {
  if (params.uri)
    return { number: params.uri, protocol: params.protocol ?? 'sip', rateKbps: params.rate_kbps };
  const bridges = ctx.profile.bridges;
  const bridge = params.bridge ? bridges.find((b) => b.id === params.bridge) : bridges[0];
  if (!bridge) {
    const message = params.bridge
      ? ctx.t('codec.sip.no_bridge', { id: params.bridge })
      : ctx.t('codec.sip.no_target');
    return errored('BRIDGE_UNKNOWN', message, { errorHint: ctx.t('codec.sip.hint.no_bridge') });
  }
  const { dialString, protocolOf } = await import('../drivers/call-flow.js');
  return {
    number: dialString(bridge.uri),
    protocol: params.protocol ?? protocolOf(bridge),
    rateKbps: params.rate_kbps ?? bridge.rate_kbps,
  };
}

interface Plan {
  connectMs: number;
  /** Sampling must end by then (ms after the start), leaving time to hang up. */
  budgetMs: number;
  wantMs: number;
}

type Measured =
  | { refused: DriverError }
  | { placed: Placed; sampled?: Sampled; failure?: unknown; hung: { ok: boolean; error?: string } };

/** Dial, sample, hang up — always; what happened, not yet judged. */
async function measure(
  driver: CodecDriver,
  target: Target,
  plan: Plan,
  ctx: CheckContext,
): Promise<Measured> {
  const flow = await import('../drivers/call-flow.js');
  if (!flow.canTestCall(driver)) throw new Error('unreachable: capabilities were checked');
  const { t, signal } = ctx;
  const t0 = performance.now();
  await flow.assertIdle(driver, t);
  let placed: Placed;
  try {
    placed = await flow.dialAndWait(driver, {
      number: target.number,
      protocol: target.protocol,
      rateKbps: target.rateKbps,
      waitMs: plan.connectMs,
      signal,
      t,
    });
  } catch (err) {
    // The bridge refused or never answered: that is what this check is for (a fail, not an error).
    if (err instanceof DriverError && CALL_FAILURES.has(err.code)) return { refused: err };
    throw err;
  }
  let sampled: Sampled | undefined;
  let failure: unknown;
  try {
    // Sample for the duration asked, but never past the budget: the hang-up must fit in it.
    const durationMs = Math.max(0, Math.min(plan.wantMs, plan.budgetMs - (performance.now() - t0)));
    sampled = await flow.sampleMedia(driver, placed.callId, { durationMs, signal, t });
  } catch (err) {
    failure = err;
  }
  const hung = await flow.hangupQuietly(driver, placed.callId);
  return { placed, sampled, failure, hung };
}

/** The outcome of a call that connected: cancelled, no media, or judged against the limits. */
function judgeCall(
  target: Target,
  placed: Placed,
  sampled: Sampled,
  limits: { warn: Record<string, number>; fail: Record<string, number> },
  details: Record<string, unknown>,
  ctx: CheckContext,
): CheckOutcome {
  const { t } = ctx;
  const { number } = target;
  const metrics = testCallMetrics(placed.connectMs, sampled);
  details.last = sampled.samples[sampled.samples.length - 1];
  details.jitter_max_ms = sampled.summary.jitter_max_ms;
  details.samples = sampled.samples.length;
  if (ctx.signal.aborted) return { ...cancelled(t('engine.cancelled')), metrics, details };
  const verdict = judgeTestCall(metrics, sampled, limits.warn, limits.fail);
  if (verdict.noMedia) {
    details.category = 'media';
    const hint = t('codec.call.hint.no_media');
    return failed('NO_MEDIA', t('codec.call.no_media', { number }), { hint, metrics, details });
  }
  const summary = t('codec.call.summary', {
    number,
    s: metrics.sampled_s as number,
    loss: metrics.loss_pct ?? '?',
    jitter: metrics.jitter_ms ?? '?',
    rate: metrics.rx_rate_kbps as number,
  });
  return {
    status: verdict.status,
    summary: verdict.breach ? `${summary}: ${verdict.breach}` : summary,
    metrics,
    details,
    ...(verdict.status === 'pass' ? {} : { hint: t('codec.call.hint.quality') }),
  };
}

/** Judge what was measured; a call left up is an error whatever the media looked like. */
function judgeMeasured(
  m: Measured,
  target: Target,
  limits: { warn: Record<string, number>; fail: Record<string, number> },
  ctx: CheckContext,
): CheckOutcome {
  if ('refused' in m) return refusalOutcome(m.refused, target.number);
  const details: Record<string, unknown> = {
    number: target.number,
    protocol: target.protocol,
    rate_kbps: target.rateKbps,
    callId: m.placed.callId,
  };
  let outcome: CheckOutcome;
  if (m.sampled && !m.failure) outcome = judgeCall(target, m.placed, m.sampled, limits, details, ctx);
  else outcome = { ...driverOutcome(m.failure, ctx, 'fail'), details };
  details.hungUp = m.hung.ok;
  if (!m.hung.ok) {
    // A call left up blocks the room: say so loudly.
    const message = ctx.t('codec.call.hangup_failed', { id: m.placed.callId, reason: m.hung.error ?? '?' });
    return {
      ...outcome,
      ...errored('HANGUP_FAILED', message, { errorHint: ctx.t('codec.call.hint.hangup_failed') }),
    };
  }
  return { ...outcome, limits };
}

export const testCall = defineKind({
  kind: 'test-call',
  remote: true,
  params: Params,
  defaultTimeoutMs: 90_000,
  thresholds: { loss_pct: 'max', jitter_ms: 'max', rx_rate_kbps: 'min' },
  async run(params, ctx) {
    const target = await resolveTarget(params, ctx);
    if ('status' in target) return target;
    const limits = {
      warn: { ...TEST_CALL_DEFAULTS.warn, ...params.warn },
      fail: { ...TEST_CALL_DEFAULTS.fail, ...params.fail },
    };
    const budgetMs = ctx.timeoutMs - Math.min(HANGUP_MARGIN_MS, ctx.timeoutMs / 4);
    const plan: Plan = {
      budgetMs,
      connectMs: Math.max(1_000, Math.min(toMs(params.connect_timeout, 30_000), budgetMs - 1_000)),
      wantMs: toMs(params.duration, 20_000),
    };
    return withCodec(ctx, ['dial', 'hangup', 'calls', 'mediaStats'], 'error', async (driver) =>
      judgeMeasured(await measure(driver, target, plan, ctx), target, limits, ctx),
    );
  },
});
