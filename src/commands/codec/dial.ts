/**
 * `diemcau dial [bridge|uri]`: dial through the site's codec, show the call
 * coming up on a terminal, print the call id on stdout once connected.
 * `--test 30s` makes it a test call (phiên thử): sample media for that long,
 * hang up — always, also on Ctrl-C or failure — and print a media table
 * with the verdict (exit 0 pass, 1 warn, 2 fail).
 */

import { judgeTestCall, TEST_CALL_DEFAULTS, testCallMetrics } from '../../checks/test-call.js';
import { round } from '../../checks/thresholds.js';
import type { Context } from '../../cli/context.js';
import type { DialFlags } from '../../cli/wiring/codec.js';
import {
  assertIdle,
  canCall,
  canTestCall,
  dialAndWait,
  dialString,
  hangupQuietly,
  protocolOf,
  type Sampled,
  sampleMedia,
} from '../../drivers/call-flow.js';
import type { CallState, MediaStats } from '../../drivers/types.js';
import { CancelledError, ExitCode, UsageError } from '../../errors.js';
import type { ResolvedProfile } from '../../profile/types.js';
import { startLive } from './live.js';
import { fmt, loadCodecSite, openDriver, resolveBridge, table } from './shared.js';

/** The flags of `diemcau dial` (durations already in ms), and the bridge named on the command line. */
export type DialOptions = DialFlags & { target?: string };

const DEFAULT_WAIT_MS = 30_000;

export async function dialCommand(baseCtx: Context, opts: DialOptions): Promise<number> {
  const { profile, ctx } = await loadCodecSite(baseCtx, opts.profile);
  return dialBridge(profile, opts.target, ctx, opts);
}

/**
 * Dial a bridge (an id of the profile's `bridges`, or a URI such as a
 * meeting's bridge) through the site's codec, as `diemcau dial` does: a
 * refused call is a DriverError worded by its refusal category
 * (src/drivers/refusal.ts), exit 2. Returns the exit code.
 */
export async function dialBridge(
  profile: ResolvedProfile,
  target: string | undefined,
  ctx: Context,
  opts: Omit<DialOptions, 'profile' | 'target'> = {},
): Promise<number> {
  const { t } = ctx;
  const bridge = resolveBridge(ctx, profile, target);
  const number = dialString(bridge.uri);
  const protocol = opts.protocol ?? protocolOf(bridge);
  const rateKbps = opts.rate ?? bridge.rate_kbps;
  const testing = opts.test !== undefined;
  const waitMs = testing && !opts.wait ? DEFAULT_WAIT_MS : (opts.wait ?? DEFAULT_WAIT_MS);

  const driver = await openDriver(ctx, profile);
  const live = await startLive(ctx);
  try {
    if (!(testing ? canTestCall(driver) : canCall(driver))) {
      throw new UsageError(
        t('codec.check.unsupported', {
          driver: driver.name,
          capability: t(testing ? 'codec.cap.mediaStats' : 'codec.cap.dial'),
        }),
      );
    }
    if (!canCall(driver)) throw new Error('unreachable');
    const stateText = (s: CallState | 'placing') =>
      s === 'placing'
        ? t('codec.dial.placing', { number, rate: rateKbps ?? '-' })
        : t('codec.dial.state', { number, state: t(`codec.state.${s}`) });
    live.update(stateText('placing'));
    await assertIdle(driver, t);
    const placed = await dialAndWait(driver, {
      number,
      protocol,
      ...(rateKbps ? { rateKbps } : {}),
      waitMs,
      signal: ctx.signal,
      t,
      onState: (s) => live.update(stateText(s)),
    });
    if (!testing) {
      live.succeed(
        placed.connected
          ? t('codec.dial.connected', {
              number,
              id: placed.callId,
              s: round((placed.connectMs ?? 0) / 1000, 1),
            })
          : t('codec.dial.placed', { number, id: placed.callId }),
      );
      ctx.io.stdout.write(`${placed.callId}\n`);
      return ExitCode.ready;
    }

    // Test call: sample, then hang up whatever happened.
    const total = Math.round((opts.test as number) / 1000);
    let sampled: Sampled | undefined;
    let failure: unknown;
    try {
      if (!canTestCall(driver)) throw new Error('unreachable');
      sampled = await sampleMedia(driver, placed.callId, {
        durationMs: opts.test as number,
        signal: ctx.signal,
        t,
        onSample: (stats, ms) => live.update(sampleText(ctx, stats, Math.round(ms / 1000), total)),
      });
    } catch (err) {
      failure = err;
    }
    const hung = await hangupQuietly(driver, placed.callId);
    if (!hung.ok) {
      live.fail(t('codec.call.hangup_failed', { id: placed.callId, reason: hung.error ?? '?' }));
      ctx.io.stderr.write(`${t('codec.call.hint.hangup_failed')}\n`);
      return ExitCode.notReady;
    }
    if (ctx.signal.aborted)
      throw new CancelledError(t('codec.dial.cancelled_hung_up', { id: placed.callId }));
    if (failure || !sampled) throw failure;
    live.stop();
    return report(ctx, number, placed.connectMs, sampled);
  } finally {
    live.stop();
    await driver.close();
  }
}

function sampleText(ctx: Context, stats: MediaStats, s: number, total: number): string {
  const rx = stats.channels.filter((c) => c.direction === 'rx');
  const loss = Math.max(0, ...rx.map((c) => c.lossPct ?? 0));
  const jitter = Math.max(0, ...rx.map((c) => c.jitterMs ?? 0));
  const rate = rx.reduce((a, c) => a + (c.rateKbps ?? 0), 0);
  return ctx.t('codec.dial.sampling', { s, total, loss: fmt(loss), jitter: fmt(jitter), rate: fmt(rate, 0) });
}

/** The media table (last sample, per channel) and the verdict, on stdout. */
function report(ctx: Context, number: string, connectMs: number | undefined, sampled: Sampled): number {
  const { t } = ctx;
  const last = sampled.samples[sampled.samples.length - 1];
  const header = [
    t('codec.col.direction'),
    t('codec.col.media'),
    t('codec.col.codec'),
    t('codec.col.rate'),
    t('codec.col.jitter'),
    t('codec.col.loss'),
  ];
  const rows = (last?.channels ?? []).map((c) => [
    t(c.direction === 'rx' ? 'codec.dir.rx' : 'codec.dir.tx'),
    c.media,
    c.codec ?? '-',
    fmt(c.rateKbps, 0),
    fmt(c.jitterMs),
    fmt(c.lossPct, 2),
  ]);
  const metrics = testCallMetrics(connectMs, sampled);
  const warn = { ...TEST_CALL_DEFAULTS.warn };
  const fail = { ...TEST_CALL_DEFAULTS.fail };
  const verdict = judgeTestCall(metrics, sampled, warn, fail);
  const summary = verdict.noMedia
    ? t('codec.call.no_media', { number })
    : t('codec.call.summary', {
        number,
        s: metrics.sampled_s as number,
        loss: metrics.loss_pct ?? '?',
        jitter: metrics.jitter_ms ?? '?',
        rate: metrics.rx_rate_kbps as number,
      });
  const line = `${summary}${verdict.breach ? `: ${verdict.breach}` : ''} — ${t(`status.${verdict.status}`)}`;
  ctx.io.stdout.write(`${table(ctx, header, rows)}\n${line}\n`);
  if (verdict.status !== 'pass')
    ctx.io.stderr.write(
      `${t('cli.hint')}: ${t(verdict.noMedia ? 'codec.call.hint.no_media' : 'codec.call.hint.quality')}\n`,
    );
  return verdict.status === 'pass'
    ? ExitCode.ready
    : verdict.status === 'warn'
      ? ExitCode.degraded
      : ExitCode.notReady;
}
