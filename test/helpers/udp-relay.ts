/**
 * A test-only UDP relay between the udp-quality probe and a reflector, for
 * impairments the kernel here cannot make (no netem): added delay, jitter,
 * reordering, duplicates and loss, drawn from a seeded random generator so a
 * run is repeatable. It applies them on the way to the reflector only and
 * records what it actually did, which is the truth the measurement is
 * checked against.
 */
import dgram from 'node:dgram';
import { decodeProbe } from '../../src/checks/udp-probe.js';

/** mulberry32: small, fast, good enough for test impairments. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RelayOptions {
  /** Where the reflector listens. */
  upstreamPort: number;
  upstreamHost?: string;
  seed?: number;
  /** Fixed added delay, ms. */
  delayMs?: number;
  /** Uniform extra delay in [−jitterMs, +jitterMs] on top of delayMs (clamped at 0). */
  jitterMs?: number;
  /** Drop this share of packets (0..1). */
  loss?: number;
  /** Hold every Nth packet and release it right after the next one. */
  reorderEvery?: number;
  /** Send every Nth packet twice. */
  duplicateEvery?: number;
}

export interface Released {
  seq: number;
  /** When the relay got it and when it passed it on (performance.now(), ms). */
  inAt: number;
  outAt: number;
}

export interface Relay {
  port: number;
  /** Every forwarded packet in the order it was passed on (first copy only). */
  released: Released[];
  dropped: number;
  duplicated: number;
  reordered: number;
  close(): Promise<void>;
}

export function startRelay(opts: RelayOptions): Promise<Relay> {
  const rnd = seededRandom(opts.seed ?? 1);
  const host = opts.upstreamHost ?? '127.0.0.1';
  const front = dgram.createSocket('udp4');
  const back = dgram.createSocket('udp4');
  const timers = new Set<NodeJS.Timeout>();
  let client: { address: string; port: number } | undefined;
  let n = 0;
  let held: { msg: Buffer; seq: number; inAt: number; timer: NodeJS.Timeout } | undefined;
  const relay: Relay = {
    port: 0,
    released: [],
    dropped: 0,
    duplicated: 0,
    reordered: 0,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      if (held) clearTimeout(held.timer);
      await Promise.all([new Promise<void>((r) => front.close(() => r())), new Promise<void>((r) => back.close(() => r()))]);
    },
  };

  const forward = (msg: Buffer, seq: number, inAt: number, copies: number) => {
    relay.released.push({ seq, inAt, outAt: performance.now() });
    for (let i = 0; i < copies; i += 1) back.send(msg, opts.upstreamPort, host);
  };

  front.on('message', (msg, rinfo) => {
    const inAt = performance.now();
    client = { address: rinfo.address, port: rinfo.port };
    const seq = decodeProbe(msg)?.seq ?? -1;
    n += 1;
    if (opts.loss && rnd() < opts.loss) {
      relay.dropped += 1;
      return;
    }
    const copies = opts.duplicateEvery && n % opts.duplicateEvery === 0 ? 2 : 1;
    if (copies === 2) relay.duplicated += 1;
    if (opts.reorderEvery) {
      if (held) {
        // The held packet goes out right after this one: this one overtakes it.
        const h = held;
        held = undefined;
        clearTimeout(h.timer);
        forward(msg, seq, inAt, copies);
        forward(h.msg, h.seq, h.inAt, 1);
        relay.reordered += 1;
        return;
      }
      if (n % opts.reorderEvery === 0) {
        const timer = setTimeout(() => {
          if (held?.msg === msg) {
            held = undefined;
            forward(msg, seq, inAt, 1);
          }
        }, 200);
        held = { msg, seq, inAt, timer };
        return;
      }
    }
    const extra = opts.jitterMs ? (rnd() * 2 - 1) * opts.jitterMs : 0;
    const delay = Math.max(0, (opts.delayMs ?? 0) + extra);
    if (delay === 0) {
      forward(msg, seq, inAt, copies);
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      forward(msg, seq, inAt, copies);
    }, delay);
    timers.add(timer);
  });
  back.on('message', (msg) => {
    if (client) front.send(msg, client.port, client.address);
  });

  return new Promise((resolve) => {
    back.bind(0, '127.0.0.1', () => {
      front.bind(0, '127.0.0.1', () => {
        relay.port = front.address().port;
        resolve(relay);
      });
    });
  });
}
