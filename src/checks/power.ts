/**
 * `power` (local only): is this machine on mains or on its battery, how full
 * is the battery, how long will it last. Read through systeminformation
 * (imported lazily: it is large). A desktop with no battery is "mains only",
 * a pass. A UPS is invisible here on Linux (systeminformation reads only
 * BAT0/BAT1/AC); the `ups` kind asks the UPS itself.
 */
import { Type } from '@sinclair/typebox';
import type { MessageKey, Params, Translator } from '../i18n/index.js';
import { formatDuration, toMs } from '../profile/duration.js';
import { errored } from './outcome.js';
import { Duration, Limits } from './params.js';
import { judgeMetrics, round, worse } from './thresholds.js';
import { type CheckOutcome, defineKind } from './types.js';

/** On battery below this charge the meeting is at risk whatever the estimate says. */
export const LOW_CHARGE_PCT = 10;

const powerLimits = {
  charge_pct: 'Battery charge, % (minimum).',
  runtime_s: 'Time left on battery, seconds (minimum).',
};

export const powerParams = Type.Object({
  /** On battery, the time left must be at least this (default: meeting.length, else 45m). */
  min_runtime: Type.Optional(Duration),
  warn: Limits(powerLimits),
  fail: Limits(powerLimits),
});

/** The part of systeminformation's battery() answer we use. */
export interface BatteryInfo {
  hasBattery: boolean;
  acConnected: boolean;
  isCharging: boolean;
  percent: number;
  /** Minutes; null or negative when the OS gives no estimate. */
  timeRemaining: number | null;
  model?: string;
  manufacturer?: string;
}

export interface PowerVerdict {
  status: 'pass' | 'warn' | 'fail';
  reason: MessageKey;
  hint?: MessageKey;
  metrics: Record<string, number>;
}

/** Decide from the battery facts alone (no I/O): tested with recorded shapes. */
export function powerVerdict(b: BatteryInfo, minRuntimeS: number): PowerVerdict {
  if (!b.hasBattery) return { status: 'pass', reason: 'power.mains_only', metrics: {} };
  const metrics: Record<string, number> = {};
  if (Number.isFinite(b.percent) && b.percent >= 0) metrics.charge_pct = round(b.percent, 0);
  // The estimate means "time to empty" only while discharging.
  const onBattery = !b.acConnected && !b.isCharging;
  if (onBattery && b.timeRemaining !== null && Number.isFinite(b.timeRemaining) && b.timeRemaining >= 0) {
    metrics.runtime_s = Math.round(b.timeRemaining * 60);
  }
  if (!onBattery)
    return { status: 'pass', reason: b.isCharging ? 'power.on_mains_charging' : 'power.on_mains', metrics };
  if (metrics.charge_pct !== undefined && metrics.charge_pct < LOW_CHARGE_PCT) {
    return { status: 'fail', reason: 'power.low', hint: 'power.hint.low', metrics };
  }
  if (metrics.runtime_s !== undefined && metrics.runtime_s < minRuntimeS) {
    return { status: 'fail', reason: 'power.runtime_short', hint: 'power.hint.battery', metrics };
  }
  return { status: 'warn', reason: 'power.on_battery', hint: 'power.hint.battery', metrics };
}

/** The outcome for one battery reading, with the profile's limits applied. */
export function powerOutcome(
  b: BatteryInfo,
  opts: { minRuntimeMs: number; warn?: Record<string, number>; fail?: Record<string, number> },
  t: Translator,
): CheckOutcome {
  const v = powerVerdict(b, Math.round(opts.minRuntimeMs / 1000));
  // Without a battery there are no figures, so no limit can break.
  const judged = judgeMetrics(t, v.metrics, power.thresholds ?? {}, opts, {
    breach: (br) => t('power.part.breach', { metric: br.metric, value: br.value, limit: br.limit }),
  });
  const status = worse(judged.status, v.status);
  const p: Params = { min: formatDuration(opts.minRuntimeMs) };
  const parts = [t(v.reason, p)];
  if (v.metrics.charge_pct !== undefined) parts.push(t('power.part.charge', { pct: v.metrics.charge_pct }));
  if (v.metrics.runtime_s !== undefined)
    parts.push(t('power.part.runtime', { runtime: formatDuration(v.metrics.runtime_s * 1000) }));
  parts.push(...judged.said);
  const hintKey = v.hint ?? (status !== 'pass' ? 'power.hint.battery' : undefined);
  return {
    status,
    summary: parts.join(', '),
    metrics: v.metrics,
    details: {
      has_battery: b.hasBattery,
      ac_connected: b.acConnected,
      charging: b.isCharging,
      ...(b.model ? { model: b.model } : {}),
      ...(b.manufacturer ? { manufacturer: b.manufacturer } : {}),
    },
    ...(status !== 'pass' && hintKey ? { hint: t(hintKey, p) } : {}),
  };
}

export const power = defineKind({
  kind: 'power',
  remote: false,
  params: powerParams,
  defaultTimeoutMs: 15_000,
  thresholds: { charge_pct: 'min', runtime_s: 'min' },
  async run(params, ctx) {
    const minRuntimeMs = toMs(params.min_runtime ?? ctx.profile.meeting?.length ?? '45m', 45 * 60_000);
    const si = await import('systeminformation');
    let info: BatteryInfo;
    try {
      // systeminformation cannot be cancelled (it may shell out on Windows); stop waiting on abort.
      info = await new Promise<BatteryInfo>((resolve, reject) => {
        const onAbort = () => reject(new Error(ctx.t('power.err.aborted')));
        if (ctx.signal.aborted) return onAbort();
        ctx.signal.addEventListener('abort', onAbort, { once: true });
        si.battery().then(
          (b) => {
            ctx.signal.removeEventListener('abort', onAbort);
            resolve(b as BatteryInfo);
          },
          (err: unknown) => {
            ctx.signal.removeEventListener('abort', onAbort);
            reject(err);
          },
        );
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return errored('POWER_UNREADABLE', ctx.t('power.err.read', { reason }));
    }
    return powerOutcome(info, { minRuntimeMs, warn: params.warn, fail: params.fail }, ctx.t);
  },
});
