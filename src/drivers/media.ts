/**
 * Media statistics in the units the checks judge: received loss (%), jitter
 * (ms), received and sent rate (kbps). Codecs with cumulative counters
 * (Cisco Netstat Loss/Packets) give the loss over a window from the counter
 * deltas; the others (Poly percentPacketLoss) give a current percentage.
 */
import type { ChannelStats, MediaStats } from './types.js';

export interface MediaSummary {
  rx_loss_pct?: number;
  jitter_ms?: number;
  rx_rate_kbps: number;
  tx_rate_kbps: number;
  rx_channels: number;
}

const rx = (s: MediaStats) => s.channels.filter((c) => c.direction === 'rx' && c.media !== 'data');
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function counted(chs: ChannelStats[]): { lost: number; packets: number } | undefined {
  if (chs.length === 0 || !chs.every((c) => c.lost !== undefined && c.packets !== undefined))
    return undefined;
  return { lost: sum(chs.map((c) => c.lost as number)), packets: sum(chs.map((c) => c.packets as number)) };
}

/** One sample: the state of the call now. */
export function summarize(stats: MediaStats): MediaSummary {
  const inbound = rx(stats);
  const out: MediaSummary = {
    rx_rate_kbps: sum(inbound.map((c) => c.rateKbps ?? 0)),
    tx_rate_kbps: sum(stats.channels.filter((c) => c.direction === 'tx').map((c) => c.rateKbps ?? 0)),
    rx_channels: inbound.length,
  };
  const jitters = inbound.map((c) => c.jitterMs).filter((x): x is number => x !== undefined);
  if (jitters.length) out.jitter_ms = Math.max(...jitters);
  const counts = counted(inbound);
  if (counts && counts.packets > 0) out.rx_loss_pct = (counts.lost / counts.packets) * 100;
  else {
    // No counters: the worst channel's own percentage (a lossy video channel must not hide behind clean audio).
    const pcts = inbound.map((c) => c.lossPct).filter((x): x is number => x !== undefined);
    if (pcts.length) out.rx_loss_pct = Math.max(...pcts);
  }
  return out;
}

/** Loss over a window from cumulative counters, when the codec has them. */
function windowLoss(first: MediaStats, last: MediaStats): number | undefined {
  const a = counted(rx(first));
  const b = counted(rx(last));
  if (!a || !b) return undefined;
  const packets = b.packets - a.packets;
  const lost = b.lost - a.lost;
  if (packets <= 0 || lost < 0) return undefined;
  return (lost / packets) * 100;
}

const mean = (xs: number[]) => (xs.length ? sum(xs) / xs.length : undefined);

/** The figures of a test call over all its samples. */
export function aggregate(samples: MediaStats[]): MediaSummary & { jitter_max_ms?: number } {
  const sums = samples.map(summarize);
  const first = samples[0];
  const last = samples[samples.length - 1];
  const loss = first && last && samples.length > 1 ? windowLoss(first, last) : undefined;
  const losses = sums.map((s) => s.rx_loss_pct).filter((x): x is number => x !== undefined);
  const jitters = sums.map((s) => s.jitter_ms).filter((x): x is number => x !== undefined);
  const out: MediaSummary & { jitter_max_ms?: number } = {
    rx_rate_kbps: mean(sums.map((s) => s.rx_rate_kbps)) ?? 0,
    tx_rate_kbps: mean(sums.map((s) => s.tx_rate_kbps)) ?? 0,
    rx_channels: Math.max(0, ...sums.map((s) => s.rx_channels)),
  };
  const lossPct = loss ?? mean(losses);
  if (lossPct !== undefined) out.rx_loss_pct = lossPct;
  const jitter = mean(jitters);
  if (jitter !== undefined) {
    out.jitter_ms = jitter;
    out.jitter_max_ms = Math.max(...jitters);
  }
  return out;
}
