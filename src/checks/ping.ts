/**
 * `ping`: ICMP round-trip time, jitter and loss through the system ping.
 *
 * We spawn the system ping ourselves rather than use the `ping` npm package:
 * that package ignores ping's exit status, reads English words, and by
 * default stops at the first reply, so loss is 0 or 100 % and there is no
 * jitter (docs/references.md §4). Here the exit status decides
 * what ran, and the numbers come from a locale-proof parser (ping-parse.ts).
 */
import { Type } from '@sinclair/typebox';
import type { Translator } from '../i18n/index.js';
import { toMs } from '../profile/duration.js';
import { errCode, errMessage, overLimits, ownBudgetMs, seconds, withDefaults } from './net-common.js';
import { cancelled, errored, failed, judgedOutcome } from './outcome.js';
import { Duration, Host, Limits, oneOf } from './params.js';
import {
  flavorFor,
  isIPv6Literal,
  MIN_INTERVAL_MS,
  MIN_SIZE,
  type PingPlan,
  planPing,
} from './ping-command.js';
import { parsePingOutput, pingStats, seqBase } from './ping-parse.js';
import { findOnPath, type ProgramResult, realFile, runProgram } from './program.js';
import { judgeMetrics } from './thresholds.js';
import { type CheckOutcome, defineKind } from './types.js';

const pingLimits = {
  rtt_ms: 'Average round-trip time (ms).',
  loss_pct: 'Lost probes (%).',
  jitter_ms: 'Mean absolute difference of successive round-trip times (ms).',
};

/** G.114 bands (150 / 400 ms) and vendor "red signal" numbers; see docs/checks.md. */
export const PING_DEFAULT_WARN = { rtt_ms: 150, loss_pct: 1, jitter_ms: 30 } as const;
export const PING_DEFAULT_FAIL = { rtt_ms: 400, loss_pct: 3, jitter_ms: 50 } as const;

const FIRST_LINE_MAX = 200;
/** What a shell uses when PATH is unset (cron, some service managers). */
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';

const firstLine = (text: string): string =>
  (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim().slice(0, FIRST_LINE_MAX);

export const ping = defineKind({
  kind: 'ping',
  remote: true,
  params: Type.Object({
    target: Host,
    count: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: 'Probes to send (default 10).' }),
    ),
    interval: Type.Optional(
      Type.Union(Duration.anyOf, {
        'x-allowed': 'profile.allowed.duration',
        description:
          'Time between probes (default 0.2s; below 0.2s is raised to 0.2s, the least iputils allows a non-root user).',
      }),
    ),
    size: Type.Optional(
      Type.Integer({
        minimum: MIN_SIZE,
        maximum: 65500,
        description: "Payload bytes per probe (ping's default when absent).",
      }),
    ),
    family: Type.Optional(
      oneOf(['auto', 'ipv4', 'ipv6'] as const, 'IP version (default auto: an IPv6 literal uses IPv6).'),
    ),
    warn: Limits(pingLimits),
    fail: Limits(pingLimits),
  }),
  defaultTimeoutMs: 20_000,
  thresholds: { rtt_ms: 'max', loss_pct: 'max', jitter_ms: 'max' },
  async run(p, ctx): Promise<CheckOutcome> {
    const { t } = ctx;
    const count = p.count ?? 10;
    const askedMs = toMs(p.interval, MIN_INTERVAL_MS);
    const intervalMs = Math.max(MIN_INTERVAL_MS, askedMs);
    const family =
      p.family === 'ipv4' || p.family === 'ipv6' ? p.family : isIPv6Literal(p.target) ? 'ipv6' : undefined;
    const platform = process.platform;

    // Find the program first: a missing ping is an install problem, not a network one.
    let flavor = flavorFor(platform);
    let plan: PingPlan = planPing(flavor, { target: p.target, count, intervalMs, size: p.size, family });
    let program = plan.program;
    if (platform !== 'win32') {
      const found = findOnPath(plan.program, ctx.env.PATH ?? DEFAULT_PATH);
      if (!found) return missing(t);
      flavor = flavorFor(platform, realFile(found));
      plan = planPing(flavor, { target: p.target, count, intervalMs, size: p.size, family });
      program = found;
    }

    const budget = ownBudgetMs(ctx);
    if (plan.needMs > budget) {
      const message = t('net.ping.too_long', {
        count,
        interval: seconds(intervalMs),
        need: seconds(plan.needMs),
        timeout: seconds(ctx.timeoutMs),
      });
      return errored('PING_TOO_LONG', message, { errorHint: t('net.ping.hint.too_long') });
    }

    let result: ProgramResult;
    try {
      // LC_ALL=C: English output and, more important, "0.2" read as a number by ping's own option parser.
      result = await runProgram(program, plan.args, {
        env: { ...ctx.env, LC_ALL: 'C' },
        signal: ctx.signal,
        argv0: plan.program,
      });
    } catch (err) {
      if (errCode(err) === 'ENOENT') return missing(t);
      return errored('PING_FAILED', t('net.ping.failed', { message: errMessage(err) }));
    }
    return judgePing(
      result,
      plan,
      { target: p.target, count, askedMs, intervalMs, platform, warn: p.warn, fail: p.fail },
      ctx.t,
    );
  },
});

function missing(t: Translator): CheckOutcome {
  return errored('PING_MISSING', t('net.ping.missing'), { errorHint: t('net.ping.hint.missing') });
}

export interface PingRunInfo {
  target: string;
  count: number;
  /** The interval the profile asked for, and the one used (never below 200 ms). */
  askedMs: number;
  intervalMs: number;
  platform: NodeJS.Platform | string;
  warn?: Partial<Record<keyof typeof pingLimits, number>>;
  fail?: Partial<Record<keyof typeof pingLimits, number>>;
}

/** From ping's exit status and output to a result. Exported for tests of every exit path. */
export function judgePing(
  result: ProgramResult,
  plan: Pick<PingPlan, 'flavor' | 'ttlLess' | 'args' | 'program'>,
  info: PingRunInfo,
  t: Translator,
): CheckOutcome {
  if (result.aborted) return cancelled(t('net.cancelled'));
  const parsed = parsePingOutput(result.stdout, { ttlLess: plan.ttlLess });
  const stats = pingStats(parsed, info.count, seqBase(parsed, info.platform));
  const details = {
    command: [plan.program, ...plan.args].join(' '),
    exit_code: result.code,
    probes: stats.probes,
    ...(stats.duplicates ? { duplicates: stats.duplicates } : {}),
    ...(stats.extra ? { extra_replies: stats.extra } : {}),
    ...(stats.below1ms ? { below_1ms: stats.below1ms } : {}),
    ...(info.askedMs < info.intervalMs
      ? { interval_raised_ms: { asked: info.askedMs, used: info.intervalMs } }
      : {}),
  };
  const base = { sent: stats.sent, received: stats.received, loss_pct: stats.loss_pct };
  if (stats.received === 0) return noReply(result, plan, info, t, details, base);

  const metrics: Record<string, number> = { ...base };
  if (stats.rtt_ms !== undefined) metrics.rtt_ms = stats.rtt_ms;
  if (stats.rtt_min_ms !== undefined) metrics.rtt_min_ms = stats.rtt_min_ms;
  if (stats.rtt_max_ms !== undefined) metrics.rtt_max_ms = stats.rtt_max_ms;
  if (stats.jitter_ms !== undefined) metrics.jitter_ms = stats.jitter_ms;
  const judged = judgeMetrics(
    t,
    metrics,
    ping.thresholds ?? {},
    { warn: withDefaults(info.warn, PING_DEFAULT_WARN), fail: withDefaults(info.fail, PING_DEFAULT_FAIL) },
    {
      hints: {
        rtt_ms: 'net.ping.hint.rtt',
        loss_pct: 'net.ping.hint.loss',
        jitter_ms: 'net.ping.hint.jitter',
      },
    },
  );
  const summary =
    t('net.ping.ok', {
      received: stats.received,
      sent: stats.sent,
      target: info.target,
      rtt: metrics.rtt_ms ?? '—',
      min: metrics.rtt_min_ms ?? '—',
      max: metrics.rtt_max_ms ?? '—',
      jitter: metrics.jitter_ms ?? '—',
      loss: stats.loss_pct,
    }) + overLimits(t, judged);
  return judgedOutcome(judged, summary, { metrics, details });
}

/**
 * No reply at all. Exit 0: at least one reply; 1: no reply, or (with -c and -w) fewer than count;
 * 2 and up: ping could not work (unknown host, no route, bad option). Windows ping says 0 even for
 * "Destination host unreachable".
 */
function noReply(
  result: ProgramResult,
  plan: Pick<PingPlan, 'flavor'>,
  info: PingRunInfo,
  t: Translator,
  details: Record<string, unknown>,
  base: { sent: number; received: number; loss_pct: number },
): CheckOutcome {
  if (result.code !== 0 && result.code !== 1) {
    const why =
      firstLine(result.stderr) || firstLine(result.stdout) || `exit ${result.code ?? result.signal}`;
    return errored('PING_FAILED', t('net.ping.failed', { message: why }), {
      details: { ...details, stderr: result.stderr.slice(0, 2000) },
      errorHint: t('net.ping.hint.failed'),
    });
  }
  if (result.code === 0 && plan.flavor !== 'windows') {
    // Unix ping promises a reply with exit 0: if we read none, our parser is wrong, and we must not call it loss.
    return errored('PING_UNPARSED', t('net.ping.unparsed', { code: 0 }), {
      details: { ...details, stdout: result.stdout.slice(0, 4000) },
      errorHint: t('net.ping.hint.unparsed'),
    });
  }
  return failed('NO_REPLY', t('net.ping.no_reply', { target: info.target, sent: base.sent }), {
    metrics: { ...base, loss_pct: 100 },
    details,
    hint: t('net.ping.hint.no_reply'),
  });
}
