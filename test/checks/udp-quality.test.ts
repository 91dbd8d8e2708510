/**
 * udp-quality: the E-model and RFC 3550 arithmetic, then the real check on
 * loopback against the real reflector, through a seeded test relay whose
 * recorded delays, drops, duplicates and swaps are the known truth.
 * Accuracy goals (issue 5): added delay ±2 ms, jitter ±2 ms, loss ±0.5
 * percentage points over 2,000 packets.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mos, mosFromR, rFactor } from '../../src/checks/emodel.js';
import { decodeProbe, encodeProbe, JitterEstimator, percentile } from '../../src/checks/udp-probe.js';
import { parseTarget, udpQuality } from '../../src/checks/udp-quality.js';
import type { CheckOutcome } from '../../src/model/check.js';
import { type Reflector, startReflector } from '../../src/registry/reflector.js';
import { kindContext } from '../helpers/kind-context.js';
import {
  cleanupRelays,
  type Relay,
  type RelayOptions,
  type RelayRecord,
  startRelay,
} from '../helpers/udp-relay.js';

describe('E-model MOS', () => {
  it('follows the simplified G.107 formula', () => {
    // Le = 10 → R = 94.768 − 0.25; MOS by G.107 Annex B.
    expect(rFactor(0, 0, 0)).toBeCloseTo(94.518, 3);
    expect(mos(0, 0, 0)).toBeCloseTo(4.433, 2);
    // The published targets: RTT 100, jitter 30, loss 1 → Le 170 → R = 94.768 − 5 − 2.5.
    expect(rFactor(100, 30, 1)).toBeCloseTo(87.268, 3);
    expect(mos(100, 30, 1)).toBeCloseTo(4.27, 2);
    // Above 160 ms of effective latency the slope is steeper: Le = 410 → R = 94.768 − 29.
    expect(rFactor(400, 0, 0)).toBeCloseTo(65.768, 3);
    expect(mosFromR(65.768)).toBeCloseTo(3.39, 2);
  });
  it('is bounded and monotonic', () => {
    expect(mos(2000, 0, 0)).toBe(1);
    expect(mos(50, 5, 60)).toBe(1);
    expect(mos(0, 0, 37)).toBeGreaterThanOrEqual(1);
    expect(mosFromR(120)).toBe(4.5);
    expect(mos(20, 2, 0)).toBeGreaterThan(mos(20, 2, 2));
    expect(mos(20, 2, 0)).toBeGreaterThan(mos(200, 2, 0));
    expect(mos(Number.NaN, 0, 0)).toBe(1);
  });
});

describe('RFC 3550 jitter and the probe format', () => {
  it('computes J += (|D| − J)/16 in arrival order', () => {
    const j = new JitterEstimator();
    // Transit times 10, 14, 10, 10 → |D| = 4, 4, 0.
    j.add(0, 10);
    j.add(20, 34);
    j.add(40, 50);
    j.add(60, 70);
    const j1 = 4 / 16;
    const j2 = j1 + (4 - j1) / 16;
    const j3 = j2 + (0 - j2) / 16;
    expect(j.j).toBeCloseTo(j3, 10);
    // Fewer than 17 packets: the mean covers the warm-up values.
    expect(j.mean()).toBeCloseTo((j1 + j2 + j3) / 3, 10);
  });
  it('nearest-rank percentile', () => {
    expect(percentile([5, 1, 4, 2, 3], 95)).toBe(5);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(95);
    expect(percentile([], 95)).toBeNaN();
  });
  it('round-trips a probe datagram with an RTP header', () => {
    const b = Buffer.alloc(200);
    encodeProbe(b, 0xdeadbeef, 70_000, 1234.5);
    expect(b[0]).toBe(0x80);
    expect(b.readUInt16BE(2)).toBe(70_000 & 0xffff);
    expect(decodeProbe(b)).toEqual({ ssrc: 0xdeadbeef, seq: 70_000, sentMs: 1234.5 });
    expect(decodeProbe(Buffer.from('hello world, not a probe at all'))).toBeUndefined();
  });
  it('parses host:port targets', () => {
    expect(parseTarget('mcu.example.vn:5004')).toEqual({ host: 'mcu.example.vn', port: 5004 });
    expect(parseTarget('[2001:db8::1]:5004')).toEqual({ host: '2001:db8::1', port: 5004 });
    expect(parseTarget('host:70000')).toBeUndefined();
    expect(parseTarget('host')).toBeUndefined();
  });
});

describe('udp-quality on loopback', () => {
  let reflector: Reflector;
  const relays: Relay[] = [];
  beforeAll(async () => {
    reflector = await startReflector({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    for (const r of relays) r.close();
    cleanupRelays();
    await reflector?.close();
  });

  const measure = (
    port: number,
    params: Record<string, unknown> = {},
    timeoutMs = 20_000,
  ): Promise<CheckOutcome> =>
    udpQuality.run({ target: `127.0.0.1:${port}`, ...params } as never, kindContext({ timeoutMs }));

  /** Measure through a relay (child process, with its own reflector); returns the outcome and the relay's record. */
  const through = async (opts: RelayOptions, params: Record<string, unknown>) => {
    const r = await startRelay(opts);
    relays.push(r);
    const outcome = await measure(r.port, params);
    return { r: outcome, rec: await r.finish() };
  };

  /** The relay's own record: mean added delay and RFC 3550 jitter of what it did. */
  const truth = (r: RelayRecord) => {
    const j = new JitterEstimator();
    let sum = 0;
    for (const p of r.released) {
      sum += p.outAt - p.inAt;
      j.add(p.inAt, p.outAt);
    }
    return { delay: sum / r.released.length, jitter: j.mean() };
  };

  it('a clean line passes with the metrics and the default limits', async () => {
    const r = await measure(reflector.port, { duration: '1s', pps: 100 });
    expect(r.status).toBe('pass');
    expect(Object.keys(r.metrics ?? {}).sort()).toEqual([
      'duplicates',
      'jitter_ms',
      'loss_pct',
      'mos',
      'reorder_pct',
      'rtt_ms',
      'rtt_p95_ms',
    ]);
    expect(r.metrics).toMatchObject({ loss_pct: 0, duplicates: 0, reorder_pct: 0 });
    expect(r.metrics?.mos).toBeGreaterThan(4.3);
    expect(r.summary).toMatch(
      /^100\/100 packets back from 127\.0\.0\.1:\d+: RTT [\d.]+ ms \(p95 [\d.]+\), jitter [\d.]+ ms, loss 0%, MOS [\d.]+$/,
    );
    expect(r.limits).toEqual({
      warn: { rtt_ms: 100, jitter_ms: 30, loss_pct: 1, mos: 3.7 },
      fail: { rtt_ms: 400, jitter_ms: 50, loss_pct: 3, mos: 3.1 },
    });
    expect(r.details).toMatchObject({ sent: 100, received: 100, pps: 100, payload: 200 });
  });

  it('measures an added delay within ±2 ms', async () => {
    const { r: r0, rec: base } = await through({}, { duration: '1s', pps: 500 });
    const { r: r1, rec: slow } = await through({ delayMs: 40 }, { duration: '2s', pps: 500 });
    const added = (r1.metrics?.rtt_ms as number) - (r0.metrics?.rtt_ms as number);
    const known = truth(slow).delay - truth(base).delay;
    // The relay really held each packet about 40 ms (its timers fire late, never early).
    expect(truth(slow).delay).toBeGreaterThanOrEqual(39.5);
    expect(Math.abs(added - known)).toBeLessThanOrEqual(2);
    expect(r1.metrics?.loss_pct).toBe(0);
  });

  it('measures jitter within ±2 ms (40 ± 15 ms, seeded), with the reordering it causes', async () => {
    const { r, rec } = await through({ delayMs: 40, jitterMs: 15, seed: 42 }, { duration: '2s', pps: 500 });
    const known = truth(rec);
    // Uniform ±15 ms: E|D| = 2·15/3 = 10 ms; the relay's record is the exact truth.
    expect(known.jitter).toBeGreaterThan(8);
    expect(Math.abs((r.metrics?.jitter_ms as number) - known.jitter)).toBeLessThanOrEqual(2);
    expect(Math.abs((r.metrics?.rtt_ms as number) - known.delay)).toBeLessThanOrEqual(2);
    // Delays vary by more than the 2 ms between packets, so some overtake others.
    expect(r.metrics?.reorder_pct).toBeGreaterThan(0);
  });

  it('counts reordered and duplicated packets exactly', async () => {
    // 500 packets: every 7th overtaken by the next (71 swaps), every 24th sent twice (20); neither
    // touches the last packet, whose late twin could arrive after the measurement has ended.
    const { r, rec: mix } = await through(
      { reorderEvery: 7, duplicateEvery: 24 },
      { duration: '1s', pps: 500 },
    );
    const d = r.details as { reordered: number; duplicates: number; received: number };
    expect(d.reordered).toBe(mix.reordered);
    expect(d.duplicates).toBe(mix.duplicated);
    expect(mix.reordered).toBe(71);
    expect(r.metrics?.reorder_pct).toBe(14.2);
    expect(r.metrics?.duplicates).toBe(20);
    expect(r.metrics?.loss_pct).toBe(0);
  });

  it('measures loss within ±0.5 percentage points over 2,000 packets (seeded 4 % drop)', async () => {
    const { r, rec: lossy } = await through({ loss: 0.04, seed: 7 }, { duration: '4s', pps: 500 });
    const d = r.details as { sent: number; lost: number };
    expect(d.sent).toBe(2000);
    const known = (100 * lossy.dropped) / d.sent;
    expect(Math.abs((r.metrics?.loss_pct as number) - known)).toBeLessThanOrEqual(0.5);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('over the limit: loss_pct');
    expect(r.hint).toContain('Packet loss');
  });

  it('judges against the profile limits, which override the defaults one by one', async () => {
    const slow = await startRelay({ delayMs: 120 });
    relays.push(slow);
    const r = await measure(slow.port, { duration: '500ms', pps: 50 });
    expect(r.status).toBe('warn');
    expect(r.hint).toContain('High delay');
    const relaxed = await measure(slow.port, { duration: '500ms', pps: 50, warn: { rtt_ms: 200 } });
    expect(relaxed.status).toBe('pass');
    expect(relaxed.limits?.warn).toMatchObject({ rtt_ms: 200, jitter_ms: 30 });
  });

  it('a reflector that never answers: a clear error before the timeout', async () => {
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    try {
      const r = await measure(silent.address().port, { duration: '10s' }, 6000);
      expect(r.status).toBe('error');
      expect(r.error?.code).toBe('UDPQ_NO_REPLY');
      expect(r.error?.message).toMatch(
        /^no answer from the reflector at 127\.0\.0\.1:\d+: none of \d+ packets came back$/,
      );
      expect(r.error?.hint).toContain('--reflector-port');
    } finally {
      silent.close();
    }
  });

  it('a closed port (ICMP port unreachable) says so', async () => {
    const s = dgram.createSocket('udp4');
    const port = await new Promise<number>((r) => s.bind(0, '127.0.0.1', () => r(s.address().port)));
    s.close();
    const r = await measure(port, { duration: '10s' }, 6000);
    expect(r.error?.code).toBe('UDPQ_REFUSED');
  });

  it('without target or registry it tells what to add', async () => {
    const r = await udpQuality.run({} as never, kindContext());
    expect(r.error?.code).toBe('UDPQ_NO_TARGET');
    // The registry host is the default target.
    const viaRegistry = await udpQuality.run(
      { reflector_port: reflector.port, duration: '200ms', pps: 50 } as never,
      kindContext({ profile: { registry: { url: 'http://127.0.0.1:1/' } } }),
    );
    expect(viaRegistry.status).toBe('pass');
  });
});

describe('the reflector', () => {
  it('echoes probes only, and caps the answers per source', async () => {
    const refl = await startReflector({ host: '127.0.0.1', port: 0, maxPps: 10 });
    const s = dgram.createSocket('udp4');
    let got = 0;
    s.on('message', () => {
      got += 1;
    });
    try {
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
      s.send(Buffer.from('x'.repeat(64)), refl.port, '127.0.0.1');
      const probe = Buffer.alloc(200);
      for (let i = 0; i < 30; i += 1) {
        encodeProbe(probe, 1, i, 0);
        s.send(Buffer.from(probe), refl.port, '127.0.0.1');
      }
      for (
        let i = 0;
        i < 50 && refl.stats().echoed + refl.stats().limited + refl.stats().ignored < 31;
        i += 1
      ) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, 50));
      expect(refl.stats()).toEqual({ echoed: 10, ignored: 1, limited: 20 });
      expect(got).toBe(10);
    } finally {
      s.close();
      await refl.close();
    }
  });
});
