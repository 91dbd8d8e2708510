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

/** One stream's bookkeeping: what was sent when, what came back, and the figures from it. */
class Stream {
  readonly sentAt: Float64Array;
  private readonly seen: Uint8Array;
  readonly rtts: number[] = [];
  private readonly jitter = new JitterEstimator();
  sent = 0;
  received = 0;
  private duplicates = 0;
  private reordered = 0;
  private highest = -1;
  refused = 0;
  private foreign = 0;
  /** Called once every packet is back (ends the wait for stragglers early). */
  allIn: (() => void) | undefined;

  constructor(
    readonly count: number,
    readonly ssrc: number,
    private readonly now: () => number,
  ) {
    this.sentAt = new Float64Array(count);
    this.seen = new Uint8Array(count);
  }

  send(socket: dgram.Socket, buf: Buffer): void {
    const seq = this.sent;
    const at = this.now();
    this.sentAt[seq] = at;
    encodeProbe(buf, this.ssrc, seq, at);
    this.sent += 1;
    // send() copies the buffer before returning on a connected socket's fast path only
    // when it completes synchronously; give each datagram its own copy to be safe.
    socket.send(Buffer.from(buf));
  }

  receive(msg: Buffer): void {
    const arrived = this.now();
    const p = decodeProbe(msg);
    if (!p || p.ssrc !== this.ssrc || p.seq >= this.sent) {
      this.foreign += 1;
      return;
    }
    if (this.seen[p.seq]) {
      this.duplicates += 1;
      return;
    }
    this.seen[p.seq] = 1;
    this.received += 1;
    // Our own record of the send time, not the echoed one: a reflector cannot skew it.
    const s = this.sentAt[p.seq] as number;
    this.rtts.push(arrived - s);
    this.jitter.add(s, arrived);
    if (p.seq < this.highest) this.reordered += 1;
    else this.highest = p.seq;
    if (this.received === this.count) this.allIn?.();
  }

  stats(target: string, durationMs: number, stopped: ProbeStats['stopped']): ProbeStats {
    const { sent, received, rtts } = this;
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
      duplicates: this.duplicates,
      reordered: this.reordered,
      reorder_pct: received > 0 ? (100 * this.reordered) / received : 0,
      rtt_avg_ms: rtts.length ? sum / rtts.length : Number.NaN,
      rtt_p95_ms: percentile(rtts, 95),
      rtt_min_ms: rtts.length ? min : Number.NaN,
      rtt_max_ms: rtts.length ? max : Number.NaN,
      jitter_ms: this.jitter.mean(),
      jitter_last_ms: this.jitter.j,
      duration_ms: durationMs,
      ...(stopped ? { stopped } : {}),
      refused: this.refused,
      foreign: this.foreign,
    };
  }
}

function connectSocket(socket: dgram.Socket, port: number, address: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, address, () => {
      socket.removeListener('error', reject);
      resolve();
    });
  }).catch((err: NodeJS.ErrnoException) => {
    socket.close();
    throw err;
  });
}

/** Send at the stream's pace until all are sent, nothing comes back in time, or the signal aborts. */
async function sendAll(
  socket: dgram.Socket,
  stream: Stream,
  o: {
    size: number;
    interval: number;
    noReplyMs: number;
    started: number;
    now: () => number;
    signal?: AbortSignal;
  },
): Promise<ProbeStats['stopped']> {
  const { count } = stream;
  const buf = Buffer.alloc(o.size);
  while (stream.sent < count) {
    if (o.signal?.aborted) return 'aborted';
    const t = o.now();
    if (stream.received === 0 && t - o.started > o.noReplyMs)
      return stream.refused > 0 ? 'refused' : 'no-reply';
    const due = Math.min(count, Math.floor((t - o.started) / o.interval) + 1);
    while (stream.sent < due) stream.send(socket, buf);
    if (stream.sent < count) await sleep(o.started + stream.sent * o.interval - o.now(), o.signal);
  }
  return undefined;
}

/** Send the stream and measure. Resolves (never rejects for network trouble); see `stopped`. */
export async function runProbe(opts: ProbeOptions): Promise<ProbeStats> {
  const now = opts.now ?? (() => performance.now());
  const pps = opts.pps ?? 50;
  const size = Math.min(PROBE_MAX, Math.max(PROBE_HEADER, opts.size ?? 200));
  const count = Math.max(1, Math.floor(opts.count));
  const noReplyMs = opts.noReplyMs ?? 3000;
  const interval = 1000 / pps;
  const stream = new Stream(count, randomBytes(4).readUInt32BE(0), now);
  // Resolve first so that a name with only an IPv6 address gets a udp6 socket.
  const address = net.isIP(opts.host) ? opts.host : (await lookup(opts.host)).address;
  const family = net.isIPv6(address) ? 'udp6' : 'udp4';
  const socket = dgram.createSocket({ type: family });
  socket.on('message', (msg) => stream.receive(msg));
  socket.on('error', (err: NodeJS.ErrnoException) => {
    // A connected UDP socket reports ICMP port unreachable as ECONNREFUSED; keep sending.
    if (err.code === 'ECONNREFUSED') stream.refused += 1;
  });

  const target = family === 'udp6' ? `[${opts.host}]:${opts.port}` : `${opts.host}:${opts.port}`;
  await connectSocket(socket, opts.port, address);

  const started = now();
  let stopped: ProbeStats['stopped'];
  try {
    stopped = await sendAll(socket, stream, {
      size,
      interval,
      noReplyMs,
      started,
      now,
      signal: opts.signal,
    });
    if (!stopped && stream.received < stream.sent) {
      const p95 = stream.rtts.length ? percentile(stream.rtts, 95) : 500;
      const grace = opts.graceMs ?? Math.min(opts.maxGraceMs ?? 2000, Math.max(300, 4 * p95));
      await new Promise<void>((resolve) => {
        stream.allIn = resolve;
        if (stream.received >= stream.sent) resolve();
        void sleep(grace, opts.signal).then(() => resolve());
      });
    }
  } finally {
    socket.close();
  }
  return stream.stats(target, now() - started, stopped);
}
