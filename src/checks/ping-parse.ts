/**
 * Read the output of the system ping in any language. Words are translated
 * (Reply/Antwort/からの応答, time/Zeit/時間), so they are never read; what no
 * platform translates is read instead:
 *
 * - a reply line carries a `ttl=`/`TTL=` token (IPv4 everywhere, IPv6 on
 *   Linux; macOS ping6 says `hlim=`; Windows IPv6 has none, see `ttlLess`).
 *   Error lines ("Destination host unreachable", "TTL expired in transit",
 *   "Request timed out") carry no `TTL=<number>` and so never count;
 * - its RTT is the numeric `=`/`<` value right after the TTL token (Linux
 *   iputils, busybox, macOS: `ttl=64 time=0.045 ms`) or, when nothing numeric
 *   follows, the one right before it (Windows in every language:
 *   `Bytes=32 Zeit<1ms TTL=128`);
 * - `<1` (Windows below one millisecond) counts as 1 ms and is flagged;
 * - a decimal comma is read as a decimal point;
 * - `icmp_seq=`/`seq=` numbers, when present, identify probes: a repeated
 *   number is a duplicate (DUP!) and does not count twice.
 *
 * Loss is computed from the count we asked for, never from the summary line.
 */

export interface PingReply {
  /** Sequence number, when the platform prints one (not Windows). */
  seq?: number;
  rttMs: number;
  /** Windows printed `<1ms`; rttMs is then 1. */
  below1ms: boolean;
}

export interface ParsedOutput {
  /** Every reply line in the order printed, duplicates included. */
  replies: PingReply[];
  /** `icmp_seq=` (iputils, macOS), `seq=` (busybox) or none (Windows). */
  seqStyle: 'icmp_seq' | 'seq' | 'none';
}

const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
// macOS ping6 prints the hop limit as `hlim=64` where every other ping prints `ttl=`.
const TTL = /(?:^|[^a-z0-9_])(?:ttl|hlim)\s*=\s*\d+/i;
const VALUE_AFTER = new RegExp(String.raw`^[^=<]*?([=<])\s*${NUMBER}`);
const VALUES = new RegExp(String.raw`([=<])\s*${NUMBER}`, 'g');
const SEQ = /(?:^|[^a-z0-9_])(icmp_seq|seq)\s*=\s*(\d+)/i;
/** Windows IPv6 replies have no TTL: `Reply from ::1: time<1ms` (see parsePingOutput). */
const MS_VALUE = new RegExp(String.raw`([=<])\s*${NUMBER}\s*(?:ms|мс)`, 'i');

const toNumber = (text: string): number => Number(text.replace(',', '.'));

function readLine(line: string, ttlLess: boolean): PingReply | undefined {
  const ttl = TTL.exec(line);
  const seqMatch = SEQ.exec(line);
  const seq = seqMatch ? Number(seqMatch[2]) : undefined;
  let op: string | undefined;
  let value: string | undefined;
  if (ttl) {
    const after = VALUE_AFTER.exec(line.slice(ttl.index + ttl[0].length));
    if (after) {
      op = after[1];
      value = after[2];
    } else {
      // Windows: the time is the last value before TTL (never a sequence number).
      const before = line.slice(0, ttl.index).replace(SEQ, ' ');
      const all = [...before.matchAll(VALUES)];
      const last = all[all.length - 1];
      op = last?.[1];
      value = last?.[2];
    }
  } else if (ttlLess) {
    // Only for Windows IPv6: exactly one `=`/`<` value in the line, followed by ms.
    // Summary lines ("Minimum = 0ms, Maximum = 0ms, Average = 0ms") have three.
    if ((line.match(/[=<]/g) ?? []).length !== 1) return undefined;
    const m = MS_VALUE.exec(line);
    op = m?.[1];
    value = m?.[2];
  }
  if (value === undefined) return undefined;
  const below1ms = op === '<';
  const rttMs = toNumber(value);
  if (!Number.isFinite(rttMs)) return undefined;
  return { ...(seq === undefined ? {} : { seq }), rttMs: below1ms && rttMs <= 1 ? 1 : rttMs, below1ms };
}

/**
 * All reply lines of a ping run. `ttlLess` accepts reply lines without a TTL
 * token; pass it only for Windows IPv6, the one output whose replies have
 * none.
 */
export function parsePingOutput(text: string, opts: { ttlLess?: boolean } = {}): ParsedOutput {
  const replies: PingReply[] = [];
  let seqStyle: ParsedOutput['seqStyle'] = 'none';
  for (const line of text.split(/\r?\n|\r/)) {
    const reply = readLine(line, opts.ttlLess ?? false);
    if (!reply) continue;
    if (reply.seq !== undefined && seqStyle === 'none') {
      seqStyle = /icmp_seq/i.test(line) ? 'icmp_seq' : 'seq';
    }
    replies.push(reply);
  }
  return { replies, seqStyle };
}

export interface PingStats {
  sent: number;
  received: number;
  loss_pct: number;
  rtt_ms?: number;
  rtt_min_ms?: number;
  rtt_max_ms?: number;
  /** Mean absolute difference of successive RTTs (in sequence order); needs two replies. */
  jitter_ms?: number;
  /** Per probe that answered, in sequence order. */
  probes: Array<{ seq?: number; rtt_ms: number; below_1ms?: true }>;
  duplicates: number;
  /** Replies to probes beyond `count` (iputils keeps probing after a loss when a deadline is set). */
  extra: number;
  below1ms: number;
}

/**
 * The number the first probe carries: iputils counts from 1, busybox, macOS
 * and the BSDs from 0. A seen 0 settles it; otherwise the platform decides.
 */
export function seqBase(parsed: ParsedOutput, platform: NodeJS.Platform | string): 0 | 1 {
  if (parsed.replies.some((r) => r.seq === 0)) return 0;
  return platform === 'linux' && parsed.seqStyle === 'icmp_seq' ? 1 : 0;
}

const r3 = (n: number) => Math.round(n * 1000) / 1000;

/** Statistics over the first `count` probes. */
export function pingStats(parsed: ParsedOutput, count: number, base: 0 | 1): PingStats {
  const seen = new Set<number>();
  let duplicates = 0;
  let extra = 0;
  const kept: PingReply[] = [];
  for (const reply of parsed.replies) {
    if (reply.seq === undefined) {
      kept.push(reply);
      continue;
    }
    if (seen.has(reply.seq)) {
      duplicates += 1;
      continue;
    }
    seen.add(reply.seq);
    if (reply.seq < base || reply.seq >= base + count) {
      extra += 1;
      continue;
    }
    kept.push(reply);
  }
  // Without sequence numbers (Windows) there are no duplicates to drop, but never count more replies than probes.
  const answered = kept.slice(0, count);
  if (answered.every((r) => r.seq !== undefined))
    answered.sort((a, b) => (a.seq as number) - (b.seq as number));
  const rtts = answered.map((r) => r.rttMs);
  const received = answered.length;
  const stats: PingStats = {
    sent: count,
    received,
    loss_pct: r3(((count - received) / count) * 100),
    probes: answered.map((r) => ({
      ...(r.seq === undefined ? {} : { seq: r.seq }),
      rtt_ms: r.rttMs,
      ...(r.below1ms ? { below_1ms: true as const } : {}),
    })),
    duplicates,
    extra,
    below1ms: answered.filter((r) => r.below1ms).length,
  };
  if (received > 0) {
    stats.rtt_ms = r3(rtts.reduce((a, b) => a + b, 0) / received);
    stats.rtt_min_ms = r3(Math.min(...rtts));
    stats.rtt_max_ms = r3(Math.max(...rtts));
  }
  if (received > 1) {
    let sum = 0;
    for (let i = 1; i < rtts.length; i += 1) sum += Math.abs((rtts[i] as number) - (rtts[i - 1] as number));
    stats.jitter_ms = r3(sum / (rtts.length - 1));
  }
  return stats;
}
