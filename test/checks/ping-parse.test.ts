/**
 * The locale-proof ping parser on real and reconstructed outputs of every
 * platform (test/fixtures/ping/, each with its source in its header).
 */
import { describe, expect, it } from 'vitest';
import { type ParsedOutput, parsePingOutput, pingStats, seqBase } from '../../src/checks/ping-parse.js';
import { pingFixture } from './ping-fixtures.js';

const stats = (name: string, count: number, platform: string, ttlLess = false) => {
  const parsed = parsePingOutput(pingFixture(name).text, { ttlLess });
  return pingStats(parsed, count, seqBase(parsed, platform));
};

describe('parsePingOutput + pingStats on fixtures', () => {
  it('Linux iputils, English (real capture): 5/5, exact RTTs and jitter', () => {
    const s = stats('linux-iputils-en.txt', 5, 'linux');
    expect(s).toEqual({
      sent: 5,
      received: 5,
      loss_pct: 0,
      rtt_ms: 0.041,
      rtt_min_ms: 0.037,
      rtt_max_ms: 0.05,
      jitter_ms: 0.004,
      probes: [
        { seq: 1, rtt_ms: 0.05 },
        { seq: 2, rtt_ms: 0.041 },
        { seq: 3, rtt_ms: 0.037 },
        { seq: 4, rtt_ms: 0.039 },
        { seq: 5, rtt_ms: 0.037 },
      ],
      duplicates: 0,
      extra: 0,
      below1ms: 0,
    });
  });

  it('Linux iputils with losses and -w (real capture): loss counts the 8 probes asked, not the 10 sent', () => {
    const s = stats('linux-iputils-loss.txt', 8, 'linux');
    // ping's own summary says 20% (10 sent, 8 received); probes 3 and 7 of the 8 asked were lost.
    expect(s.received).toBe(6);
    expect(s.loss_pct).toBe(25);
    expect(s.extra).toBe(2);
    expect(s.probes.map((p) => p.seq)).toEqual([1, 2, 4, 5, 6, 8]);
    expect([s.rtt_ms, s.rtt_min_ms, s.rtt_max_ms, s.jitter_ms]).toEqual([0.06, 0.035, 0.138, 0.024]);
  });

  it('Linux iputils, no reply at all (real capture): nothing parsed, loss 100', () => {
    const s = stats('linux-iputils-noreply.txt', 3, 'linux');
    expect(s).toMatchObject({ sent: 3, received: 0, loss_pct: 100, probes: [] });
    expect(s.rtt_ms).toBeUndefined();
    expect(s.jitter_ms).toBeUndefined();
  });

  it('Linux iputils in German: translated words, same numbers', () => {
    const s = stats('linux-iputils-de.txt', 5, 'linux');
    expect(s.probes).toEqual([
      { seq: 1, rtt_ms: 23.412 },
      { seq: 2, rtt_ms: 25.108 },
      { seq: 4, rtt_ms: 22.95 },
      { seq: 5, rtt_ms: 31.53 },
    ]);
    expect([s.received, s.loss_pct, s.rtt_ms, s.rtt_min_ms, s.rtt_max_ms, s.jitter_ms]).toEqual([
      4, 20, 25.75, 22.95, 31.53, 4.145,
    ]);
  });

  it('DUP! replies count once', () => {
    const s = stats('linux-iputils-dup.txt', 4, 'linux');
    expect([s.received, s.loss_pct, s.duplicates, s.rtt_ms, s.jitter_ms]).toEqual([4, 0, 1, 1.284, 0.223]);
    expect(s.probes.find((p) => p.seq === 2)?.rtt_ms).toBe(1.31);
  });

  it('"From ... Destination Host Unreachable" lines are not replies', () => {
    expect(stats('linux-iputils-unreachable-replies.txt', 3, 'linux')).toMatchObject({
      received: 0,
      loss_pct: 100,
    });
  });

  it('IPv6 loopback (real capture)', () => {
    const s = stats('linux-iputils-ipv6.txt', 3, 'linux');
    expect([s.received, s.loss_pct, s.rtt_ms, s.rtt_min_ms, s.rtt_max_ms, s.jitter_ms]).toEqual([
      3, 0, 0.041, 0.034, 0.046, 0.006,
    ]);
  });

  it('busybox: seq= from 0, a loss and a DUP!', () => {
    const parsed = parsePingOutput(pingFixture('busybox.txt').text);
    expect(parsed.seqStyle).toBe('seq');
    const s = pingStats(parsed, 5, seqBase(parsed, 'linux'));
    expect(s.probes.map((p) => p.seq)).toEqual([0, 1, 3, 4]);
    expect([s.received, s.loss_pct, s.duplicates, s.rtt_ms, s.rtt_min_ms, s.rtt_max_ms, s.jitter_ms]).toEqual(
      [4, 20, 1, 0.981, 0.876, 1.102, 0.169],
    );
  });

  it('macOS: icmp_seq from 0, "Request timeout for icmp_seq 2" is not a reply', () => {
    const s = stats('macos.txt', 5, 'darwin');
    expect(s.probes.map((p) => p.seq)).toEqual([0, 1, 3, 4]);
    expect([s.received, s.loss_pct, s.rtt_ms, s.rtt_min_ms, s.rtt_max_ms, s.jitter_ms]).toEqual([
      4, 20, 3.335, 2.874, 4.113, 0.929,
    ]);
  });

  it('macOS ping6: hop limit printed as hlim=', () => {
    const s = stats('macos-ping6.txt', 3, 'darwin');
    expect([s.received, s.loss_pct, s.rtt_ms, s.jitter_ms]).toEqual([3, 0, 0.095, 0.037]);
  });

  it('Windows English: the time before TTL, a timed-out probe, CRLF', () => {
    const s = stats('windows-en.txt', 4, 'win32');
    expect(s.probes).toEqual([{ rtt_ms: 24 }, { rtt_ms: 31 }, { rtt_ms: 22 }]);
    expect([s.received, s.loss_pct, s.rtt_ms, s.rtt_min_ms, s.rtt_max_ms, s.jitter_ms]).toEqual([
      3, 25, 25.667, 22, 31, 8,
    ]);
  });

  it('Windows English: "Destination host unreachable" and "TTL expired in transit" are not replies', () => {
    expect(stats('windows-en-unreachable.txt', 4, 'win32')).toMatchObject({ received: 0, loss_pct: 100 });
  });

  it('Windows German: Zeit<1ms counts as 1 ms and is flagged', () => {
    const s = stats('windows-de.txt', 4, 'win32');
    expect(s.probes).toEqual([
      { rtt_ms: 1, below_1ms: true },
      { rtt_ms: 1, below_1ms: true },
      { rtt_ms: 2 },
      { rtt_ms: 1, below_1ms: true },
    ]);
    expect([s.received, s.loss_pct, s.below1ms, s.rtt_ms, s.jitter_ms]).toEqual([4, 0, 3, 1.25, 0.667]);
  });

  it('Windows German: "Zielhost nicht erreichbar" is not a reply', () => {
    expect(stats('windows-de-unreachable.txt', 3, 'win32')).toMatchObject({ received: 0, loss_pct: 100 });
  });

  it('Windows Japanese: spaces before = and <, TTL-expired line ignored (ping.exe itself counts it received)', () => {
    const s = stats('windows-ja.txt', 4, 'win32');
    expect(s.probes).toEqual([{ rtt_ms: 1 }, { rtt_ms: 1, below_1ms: true }, { rtt_ms: 3 }]);
    expect([s.received, s.loss_pct, s.rtt_ms, s.jitter_ms]).toEqual([3, 25, 1.667, 1]);
  });

  it('Windows IPv6 replies carry no TTL: read only with ttlLess, summary lines never count', () => {
    expect(stats('windows-en-ipv6.txt', 4, 'win32').received).toBe(0);
    const s = stats('windows-en-ipv6.txt', 4, 'win32', true);
    expect([s.received, s.loss_pct, s.below1ms, s.rtt_ms, s.jitter_ms]).toEqual([4, 0, 3, 1, 0]);
  });

  it('Windows "could not find host" has no reply', () => {
    expect(stats('windows-en-unknown-host.txt', 4, 'win32').received).toBe(0);
  });
});

describe('parser rules on single lines', () => {
  const one = (line: string) => parsePingOutput(line).replies;

  it('reads a decimal comma', () => {
    expect(one('64 Bytes von 10.0.0.1: icmp_seq=1 ttl=60 Zeit=12,5 ms')).toEqual([
      { seq: 1, rttMs: 12.5, below1ms: false },
    ]);
  });

  it('reads a whole-millisecond iputils time (>= 100 ms has no decimals)', () => {
    expect(one('64 bytes from 203.0.113.7: icmp_seq=3 ttl=50 time=412 ms')).toEqual([
      { seq: 3, rttMs: 412, below1ms: false },
    ]);
  });

  it('TTL token is case-insensitive and not confused with words containing "ttl"', () => {
    expect(one('Reply from 10.0.0.1: bytes=32 time=5ms ttl=60')).toEqual([{ rttMs: 5, below1ms: false }]);
    expect(one('64 bytes from a: icmp_seq=1 xttl=64 time=5 ms')).toEqual([]);
  });

  it('never takes the sequence number for the time', () => {
    // No time after TTL and only a sequence number before it: not a reading.
    expect(one('64 bytes from 10.0.0.1: icmp_seq=7 ttl=64')).toEqual([]);
  });

  it('without sequence numbers never counts more replies than probes', () => {
    const parsed: ParsedOutput = {
      seqStyle: 'none',
      replies: [1, 2, 3].map((rttMs) => ({ rttMs, below1ms: false })),
    };
    expect(pingStats(parsed, 2, 0)).toMatchObject({ received: 2, loss_pct: 0 });
  });

  it('seqBase: a seen 0 wins; else iputils on Linux counts from 1, others from 0', () => {
    const at = (line: string) => parsePingOutput(line);
    expect(seqBase(at('64 bytes from a: icmp_seq=0 ttl=1 time=1 ms'), 'linux')).toBe(0);
    expect(seqBase(at('64 bytes from a: icmp_seq=2 ttl=1 time=1 ms'), 'linux')).toBe(1);
    expect(seqBase(at('64 bytes from a: seq=2 ttl=1 time=1 ms'), 'linux')).toBe(0);
    expect(seqBase(at('64 bytes from a: icmp_seq=2 ttl=1 time=1 ms'), 'darwin')).toBe(0);
  });
});
