/**
 * Placing a call through a codec and proving it: dial, wait for connected,
 * sample media, hang up. Shared by the `test-call` check and `diemcau dial`.
 *
 * Rules that matter on site:
 * - never dial when the codec is already in a call (it may be a meeting);
 * - a call we placed is always hung up on failure, timeout or Ctrl-C
 *   (drivers hang up detached from the caller's signal).
 */
import { CancelledError, DriverError } from '../errors.js';
import type { Translator } from '../i18n/index.js';
import { sleep } from '../util/sleep.js';
import { aggregate } from './media.js';
import { notAnswered, refused } from './refusal.js';
import {
  type CallInfo,
  type CallState,
  type CodecDriver,
  type DialProtocol,
  DRIVER_ERRORS,
  hasCapability,
  type MediaStats,
} from './types.js';

type CallDriver = CodecDriver & Required<Pick<CodecDriver, 'dial' | 'hangup' | 'calls'>>;

export interface DialOptions {
  number: string;
  protocol: DialProtocol;
  rateKbps?: number;
  /** How long to wait for "connected" (0: do not wait). */
  waitMs: number;
  pollMs?: number;
  signal: AbortSignal;
  t: Translator;
  /** Every state change while waiting (live status on a TTY). */
  onState?: (state: CallState | 'placing', call?: CallInfo) => void;
}

export interface Placed {
  callId: string;
  connected: boolean;
  /** Time from dialling to connected. */
  connectMs?: number;
  call?: CallInfo;
}

const ACTIVE: ReadonlySet<CallState> = new Set([
  'dialling',
  'ringing',
  'connecting',
  'connected',
  'on_hold',
  'other',
]);

export function canCall(driver: CodecDriver): driver is CallDriver {
  return hasCapability(driver, 'dial') && hasCapability(driver, 'hangup') && hasCapability(driver, 'calls');
}

export function canTestCall(
  driver: CodecDriver,
): driver is CallDriver & Required<Pick<CodecDriver, 'mediaStats'>> {
  return canCall(driver) && hasCapability(driver, 'mediaStats');
}

/** The number a codec dials for a bridge URI: `sip:` / `h323:` dropped (the protocol says it). */
export function dialString(uri: string): string {
  return uri.replace(/^(sip|h323):/i, '');
}

export function protocolOf(bridge: { uri: string; protocol?: 'sip' | 'h323' }): DialProtocol {
  if (bridge.protocol) return bridge.protocol;
  if (/^h323:/i.test(bridge.uri)) return 'h323';
  return 'sip';
}

/** Throws CODEC_BUSY when the codec already has a call up, listed or only counted (Cisco busy()). */
export async function assertIdle(driver: CallDriver, t: Translator): Promise<void> {
  const active = (await driver.calls()).filter((c) => ACTIVE.has(c.state));
  const first = active[0];
  if (first) {
    throw new DriverError(
      DRIVER_ERRORS.busy,
      t('codec.err.in_call', { remote: first.remote || first.id, id: first.id }),
      {
        hint: t('codec.hint.in_call', { id: first.id }),
      },
    );
  }
  // No call listed, but the codec may still say it is in one (a Teams or Webex meeting).
  const what = await driver.busy?.();
  if (what) {
    throw new DriverError(DRIVER_ERRORS.busy, t('codec.err.busy_state', { what }), {
      hint: t('codec.hint.busy_state'),
    });
  }
}

export async function hangupQuietly(
  driver: CallDriver,
  callId: string,
): Promise<{ ok: boolean; error?: string }> {
  try {
    await driver.hangup(callId);
    return { ok: true };
  } catch (err) {
    // Already gone is fine: the bridge or the far end hung up first.
    if (err instanceof DriverError && err.code === DRIVER_ERRORS.noCall) return { ok: true };
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * What the codec says about why the call ended; nothing when it cannot say.
 * A call seen Disconnecting gets a moment to be gone and filed in history.
 */
async function whyEnded(driver: CodecDriver, callId: string, stillListed: boolean) {
  if (!driver.callEnd) return {};
  for (let i = 0; i < 4; i++) {
    try {
      const end = await driver.callEnd(callId);
      if (end || !stillListed) return end ?? {};
    } catch {
      return {};
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {};
}

/**
 * Dial and wait for connected. On rejection, no answer in time or Ctrl-C the
 * attempt is hung up and a DriverError / CancelledError is thrown.
 */
export async function dialAndWait(driver: CallDriver, opts: DialOptions): Promise<Placed> {
  const { t, signal } = opts;
  opts.onState?.('placing');
  const { callId } = await driver.dial({
    number: opts.number,
    protocol: opts.protocol,
    ...(opts.rateKbps ? { rateKbps: opts.rateKbps } : {}),
  });
  if (opts.waitMs <= 0) return { callId, connected: false };
  const t0 = performance.now();
  let last: CallState | undefined;
  let missing = 0;
  let outcome: DriverError | CancelledError | undefined;
  try {
    for (;;) {
      if (signal.aborted) throw new CancelledError(t('codec.err.cancelled'));
      const call = (await driver.calls()).find((c) => c.id === callId);
      if (!call) missing += 1;
      else missing = 0;
      if (call && call.state !== last) {
        last = call.state;
        opts.onState?.(call.state, call);
      }
      if (call?.state === 'connected')
        return { callId, connected: true, connectMs: performance.now() - t0, call };
      // Gone (twice, to allow for a codec that lists the call a moment late), or being torn down: refused.
      if (missing >= 2 || call?.state === 'disconnecting' || call?.state === 'idle') {
        throw refused(t, opts.number, await whyEnded(driver, callId, call?.state === 'disconnecting'));
      }
      const waited = performance.now() - t0;
      if (waited >= opts.waitMs) throw notAnswered(t, opts.number, opts.waitMs);
      await sleep(Math.min(opts.pollMs ?? 250, opts.waitMs - waited), signal);
    }
  } catch (err) {
    if (err instanceof DriverError || err instanceof CancelledError) outcome = err;
    await hangupQuietly(driver, callId);
    throw outcome ?? err;
  }
}

export interface SampleOptions {
  durationMs: number;
  intervalMs?: number;
  signal: AbortSignal;
  t: Translator;
  onSample?: (stats: MediaStats, elapsedMs: number) => void;
}

export interface Sampled {
  samples: MediaStats[];
  /** How long media was sampled for. */
  sampledMs: number;
  summary: ReturnType<typeof aggregate>;
}

/**
 * Sample media stats every interval for the duration. A call that drops
 * (disappears from the list) throws CALL_DROPPED with how long it lasted;
 * Ctrl-C / timeout stops early with what was sampled so far.
 */
export async function sampleMedia(
  driver: CodecDriver & Required<Pick<CodecDriver, 'mediaStats' | 'calls'>>,
  callId: string,
  opts: SampleOptions,
): Promise<Sampled> {
  const interval = opts.intervalMs ?? 1_000;
  const samples: MediaStats[] = [];
  const t0 = performance.now();
  const maxSamples = Math.ceil(opts.durationMs / Math.max(1, interval)) + 2;
  for (let i = 0; i < maxSamples && !opts.signal.aborted; i++) {
    const elapsed = performance.now() - t0;
    const call = (await driver.calls()).find((c) => c.id === callId);
    if (!call || call.state === 'disconnecting' || call.state === 'idle') {
      throw new DriverError(
        DRIVER_ERRORS.dropped,
        opts.t('codec.err.dropped', { s: Math.round(elapsed / 1000) }),
        {
          hint: opts.t('codec.hint.dropped'),
        },
      );
    }
    const stats = await driver.mediaStats(callId);
    samples.push(stats);
    opts.onSample?.(stats, elapsed);
    if (elapsed >= opts.durationMs) break;
    await sleep(Math.min(interval, opts.durationMs - elapsed), opts.signal);
  }
  return { samples, sampledMs: performance.now() - t0, summary: aggregate(samples) };
}
