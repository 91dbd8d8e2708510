/**
 * The measuring half of `udp-quality`: send an RTP-like stream to a UDP
 * reflector and measure what comes back. Node built-ins only (the netns
 * accuracy test runs this file alone in a child process).
 *
 * A probe datagram (the whole UDP payload is `size` bytes, default 200):
 *   0..11   an RTP header (RFC 3550): V=2, PT 96, 16-bit sequence number,
 *           8 kHz timestamp, SSRC = the session id
 *   12..15  "DMCQ" (the reflector echoes nothing else)
 *   16..19  32-bit sequence number (no wrap in any run we make)
 *   20..27  send time, float64 ms on the sender's monotonic clock
 *   28..    padding
 */
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { sleep } from '../util/sleep.js';

/** RTP's registered port (RFC 3551): a firewall that lets media through likely lets this through. */
export const DEFAULT_REFLECTOR_PORT = 5004;

export const PROBE_MAGIC = 0x444d4351; // "DMCQ"
export const PROBE_HEADER = 28;
export const PROBE_MAX = 1400;

export function encodeProbe(buf: Buffer, ssrc: number, seq: number, sentMs: number): void {
  buf[0] = 0x80;
  buf[1] = 96;
  buf.writeUInt16BE(seq & 0xffff, 2);
  buf.writeUInt32BE(Math.floor(sentMs * 8) >>> 0, 4);
  buf.writeUInt32BE(ssrc >>> 0, 8);
  buf.writeUInt32BE(PROBE_MAGIC, 12);
  buf.writeUInt32BE(seq >>> 0, 16);
  buf.writeDoubleBE(sentMs, 20);
}

export interface DecodedProbe {
  ssrc: number;
  seq: number;
  sentMs: number;
}

export function decodeProbe(buf: Buffer): DecodedProbe | undefined {
  if (buf.length < PROBE_HEADER || buf[0] !== 0x80 || buf.readUInt32BE(12) !== PROBE_MAGIC) return undefined;
  return { ssrc: buf.readUInt32BE(8), seq: buf.readUInt32BE(16), sentMs: buf.readDoubleBE(20) };
}

/** Is this datagram one of ours (for the reflector)? */
export function isProbe(buf: Buffer): boolean {
  return buf.length >= PROBE_HEADER && buf.length <= PROBE_MAX && buf.readUInt32BE(12) === PROBE_MAGIC;
}

/**
 * RFC 3550 section 6.4.1 interarrival jitter, fed in arrival order:
 * D = (Rj − Ri) − (Sj − Si), J += (|D| − J)/16. We keep the running value
 * and its mean over the stream; the first 16 packets (the estimator's
 * warm-up from 0) are left out of the mean when there are enough packets.
 */
export class JitterEstimator {
  private lastTransit: number | undefined;
  j = 0;
  private sum = 0;
  private n = 0;
  private warmSum = 0;
  private warmN = 0;
  private count = 0;
  add(sentMs: number, arrivedMs: number): void {
    const transit = arrivedMs - sentMs;
    if (this.lastTransit !== undefined) {
      const d = Math.abs(transit - this.lastTransit);
      this.j += (d - this.j) / 16;
      this.count += 1;
      if (this.count > 16) {
        this.sum += this.j;
        this.n += 1;
      } else {
        this.warmSum += this.j;
        this.warmN += 1;
      }
    }
    this.lastTransit = transit;
  }
  /** Mean of the running estimate (ms). */
  mean(): number {
    if (this.n > 0) return this.sum / this.n;
    return this.warmN > 0 ? this.warmSum / this.warmN : 0;
  }
}

/** Nearest-rank percentile of an unsorted list (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export interface ProbeOptions {
  host: string;
  port: number;
  /** Packets per second (default 50). */
  pps?: number;
  /** How many packets to send. */
  count: number;
  /** Datagram size in bytes (default 200). */
  size?: number;
  /** After the last send, wait this long for stragglers (default: 4 × p95 RTT, at least 300 ms, at most maxGraceMs). */
  graceMs?: number;
  /** Cap of the default grace (default 2000 ms). */
  maxGraceMs?: number;
  /** Give up when nothing at all has come back after this long (default 3000 ms). */
  noReplyMs?: number;
  signal?: AbortSignal;
  /** Monotonic clock in ms (default performance.now). */
  now?: () => number;
}

export interface ProbeStats {
  target: string;
  sent: number;
  /** Distinct packets that came back. */
  received: number;
  lost: number;
  loss_pct: number;
  duplicates: number;
  /** Packets that arrived after one with a higher sequence number (RFC 4737 sense). */
  reordered: number;
  reorder_pct: number;
  rtt_avg_ms: number;
  rtt_p95_ms: number;
  rtt_min_ms: number;
  rtt_max_ms: number;
  /** Mean of the RFC 3550 running jitter of the echoed stream. */
  jitter_ms: number;
  /** The RFC 3550 value at the end of the stream (what an RTCP report would carry). */
  jitter_last_ms: number;
  duration_ms: number;
  /** Why sending stopped early, if it did. */
  stopped?: 'no-reply' | 'aborted' | 'refused';
  /** ICMP port unreachable seen (the reflector port is closed). */
  refused: number;
  /** Datagrams that were not our probes (ignored). */
  foreign: number;
}

/** Send the stream and measure. Resolves (never rejects for network trouble); see `stopped`. */
export async function runProbe(opts: ProbeOptions): Promise<ProbeStats> {
  const now = opts.now ?? (() => performance.now());
  const pps = opts.pps ?? 50;
  const size = Math.min(PROBE_MAX, Math.max(PROBE_HEADER, opts.size ?? 200));
  const count = Math.max(1, Math.floor(opts.count));
  const noReplyMs = opts.noReplyMs ?? 3000;
  const interval = 1000 / pps;
  const ssrc = randomBytes(4).readUInt32BE(0);
  // Resolve first so that a name with only an IPv6 address gets a udp6 socket.
  const address = net.isIP(opts.host) ? opts.host : (await lookup(opts.host)).address;
  const family = net.isIPv6(address) ? 'udp6' : 'udp4';
  const socket = dgram.createSocket({ type: family });
  const sentAt = new Float64Array(count);
  const seen = new Uint8Array(count);
  const rtts: number[] = [];
  const jitter = new JitterEstimator();
  let received = 0;
  let duplicates = 0;
  let reordered = 0;
  let highest = -1;
  let refused = 0;
  let foreign = 0;
  let sent = 0;
  let stopped: ProbeStats['stopped'];
  let allIn: (() => void) | undefined;

  socket.on('message', (msg) => {
    const arrived = now();
    const p = decodeProbe(msg);
    if (!p || p.ssrc !== ssrc || p.seq >= sent) {
      foreign += 1;
      return;
    }
    if (seen[p.seq]) {
      duplicates += 1;
      return;
    }
    seen[p.seq] = 1;
    received += 1;
    // Our own record of the send time, not the echoed one: a reflector cannot skew it.
    const s = sentAt[p.seq] as number;
    rtts.push(arrived - s);
    jitter.add(s, arrived);
    if (p.seq < highest) reordered += 1;
    else highest = p.seq;
    if (received === count) allIn?.();
  });
  socket.on('error', (err: NodeJS.ErrnoException) => {
    // A connected UDP socket reports ICMP port unreachable as ECONNREFUSED; keep sending.
    if (err.code === 'ECONNREFUSED') refused += 1;
  });

  const target = family === 'udp6' ? `[${opts.host}]:${opts.port}` : `${opts.host}:${opts.port}`;
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(opts.port, address, () => {
      socket.removeListener('error', reject);
      resolve();
    });
  }).catch((err: NodeJS.ErrnoException) => {
    socket.close();
    throw err;
  });

  const started = now();
  const buf = Buffer.alloc(size);
  try {
    while (sent < count) {
      if (opts.signal?.aborted) {
        stopped = 'aborted';
        break;
      }
      const t = now();
      if (received === 0 && t - started > noReplyMs) {
        stopped = refused > 0 ? 'refused' : 'no-reply';
        break;
      }
      const due = Math.min(count, Math.floor((t - started) / interval) + 1);
      while (sent < due) {
        const seq = sent;
        const at = now();
        sentAt[seq] = at;
        encodeProbe(buf, ssrc, seq, at);
        sent += 1;
        // send() copies the buffer before returning on a connected socket's fast path only
        // when it completes synchronously; give each datagram its own copy to be safe.
        socket.send(Buffer.from(buf));
      }
      if (sent < count) await sleep(started + sent * interval - now(), opts.signal);
    }
    if (!stopped && received < sent) {
      const p95 = rtts.length ? percentile(rtts, 95) : 500;
      const grace = opts.graceMs ?? Math.min(opts.maxGraceMs ?? 2000, Math.max(300, 4 * p95));
      await new Promise<void>((resolve) => {
        allIn = resolve;
        if (received >= sent) resolve();
        void sleep(grace, opts.signal).then(() => resolve());
      });
    }
  } finally {
    socket.close();
  }
  const lost = sent - received;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const r of rtts) {
    sum += r;
    if (r < min) min = r;
    if (r > max) max = r;
  }
  return {
    target,
    sent,
    received,
    lost,
    loss_pct: sent > 0 ? (100 * lost) / sent : 0,
    duplicates,
    reordered,
    reorder_pct: received > 0 ? (100 * reordered) / received : 0,
    rtt_avg_ms: rtts.length ? sum / rtts.length : Number.NaN,
    rtt_p95_ms: percentile(rtts, 95),
    rtt_min_ms: rtts.length ? min : Number.NaN,
    rtt_max_ms: rtts.length ? max : Number.NaN,
    jitter_ms: jitter.mean(),
    jitter_last_ms: jitter.j,
    duration_ms: now() - started,
    ...(stopped ? { stopped } : {}),
    refused,
    foreign,
  };
}
