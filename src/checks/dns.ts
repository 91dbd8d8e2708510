/**
 * `dns`: a name resolves, how fast, and to what. With `server` the query goes
 * straight to that DNS server (c-ares Resolver, bounded timeout and tries),
 * which is what a codec configured with that server would see; without it
 * the system resolver answers (getaddrinfo: /etc/hosts, then the configured
 * servers), which is what this PC sees.
 */
import dns from 'node:dns';
import { type Static, Type } from '@sinclair/typebox';
import type { Translator } from '../i18n/index.js';
import { formatNumber } from '../report/metrics.js';
import { abortable, errCode, errMessage, overLimits, ownBudgetMs, seconds } from './net-common.js';
import { bothHints, cancelled, failed, judgedOutcome } from './outcome.js';
import { Host, Limits, oneOf } from './params.js';
import { judgeMetrics, round } from './thresholds.js';
import { type CheckContext, type CheckOutcome, defineKind } from './types.js';

const dnsLimits = { resolve_ms: 'Time to the answer (ms).' };

/** "192.0.2.53", "192.0.2.53:5353", "2001:db8::53", "[2001:db8::53]:5353". */
export const DNS_SERVER_PATTERN =
  '^((\\d{1,3}\\.){3}\\d{1,3}(:\\d{1,5})?|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?)$';

type Family = 'any' | 'ipv4' | 'ipv6';
type Answer = { ok: true; addresses: string[] } | { ok: false; code: string; message: string };

const TRIES = 2;

async function viaServer(
  name: string,
  server: string,
  family: Family,
  budgetMs: number,
  signal: AbortSignal,
): Promise<Answer> {
  // c-ares doubles the wait on the second try: t + 2t fits the budget.
  const resolver = new dns.promises.Resolver({
    timeout: Math.max(50, Math.floor(budgetMs / (2 ** TRIES - 1))),
    tries: TRIES,
  });
  try {
    resolver.setServers([server]);
  } catch (err) {
    return { ok: false, code: errCode(err) ?? 'EINVAL', message: errMessage(err) };
  }
  let stopped: 'timeout' | 'cancelled' | undefined;
  const stop = (why: 'timeout' | 'cancelled') => {
    stopped ??= why;
    resolver.cancel();
  };
  const timer = setTimeout(() => stop('timeout'), budgetMs);
  const onAbort = () => stop('cancelled');
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const queries: Array<Promise<string[]>> = [];
    if (family !== 'ipv6') queries.push(resolver.resolve4(name));
    if (family !== 'ipv4') queries.push(resolver.resolve6(name));
    const settled = await Promise.allSettled(queries);
    if (stopped)
      return { ok: false, code: stopped === 'timeout' ? 'TIMEOUT' : 'CANCELLED', message: stopped };
    const addresses = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
    const codes = settled.flatMap((s) => (s.status === 'rejected' ? [errCode(s.reason) ?? 'EDNS'] : []));
    // NXDOMAIN for the name outweighs answers: it cannot both exist and not.
    if (codes.includes('ENOTFOUND')) return { ok: false, code: 'ENOTFOUND', message: 'NXDOMAIN' };
    if (addresses.length > 0) return { ok: true, addresses };
    const first = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult | undefined;
    const code = codes.find((c) => c !== 'ENODATA') ?? 'ENODATA';
    return { ok: false, code: code === 'ETIMEOUT' ? 'TIMEOUT' : code, message: errMessage(first?.reason) };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

async function viaSystem(
  name: string,
  family: Family,
  budgetMs: number,
  signal: AbortSignal,
): Promise<Answer> {
  // getaddrinfo cannot be cancelled: race it against our budget and the engine's abort.
  const aborted = abortable(signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Answer>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, code: 'TIMEOUT', message: 'timeout' }), budgetMs);
  });
  const fam = family === 'ipv4' ? 4 : family === 'ipv6' ? 6 : 0;
  const lookup = dns.promises
    .lookup(name, { all: true, family: fam, order: 'verbatim' })
    .then((list): Answer => ({ ok: true, addresses: list.map((a) => a.address) }))
    .catch((err: unknown): Answer => ({ ok: false, code: errCode(err) ?? 'EDNS', message: errMessage(err) }));
  try {
    return await Promise.race([
      lookup,
      timeout,
      aborted.promise.catch((): Answer => ({ ok: false, code: 'CANCELLED', message: 'cancelled' })),
    ]);
  } finally {
    clearTimeout(timer);
    aborted.cleanup();
  }
}

export const dnsParams = Type.Object({
  name: Host,
  server: Type.Optional(
    Type.String({
      pattern: DNS_SERVER_PATTERN,
      'x-allowed': 'net.allowed.dns_server',
      description: 'Ask this DNS server ("ip" or "ip:port") instead of the system resolver.',
    }),
  ),
  family: Type.Optional(oneOf(['any', 'ipv4', 'ipv6'] as const, 'Which addresses to ask for (default any).')),
  expect: Type.Optional(
    Type.Array(Type.String({ minLength: 1 }), { description: 'Addresses that must be among the answers.' }),
  ),
  warn: Limits(dnsLimits),
  fail: Limits(dnsLimits),
});

export const dnsKind = defineKind({
  kind: 'dns',
  remote: true,
  params: dnsParams,
  defaultTimeoutMs: 5_000,
  thresholds: { resolve_ms: 'max' },
  async run(p, ctx: CheckContext): Promise<CheckOutcome> {
    const { t } = ctx;
    const family: Family = p.family ?? 'any';
    const budget = ownBudgetMs(ctx);
    const server = p.server ?? t('net.dns.system');
    const t0 = ctx.clock.monotonic();
    const a = p.server
      ? await viaServer(p.name, p.server, family, budget, ctx.signal)
      : await viaSystem(p.name, family, budget, ctx.signal);
    const resolveMs = round(ctx.clock.monotonic() - t0, 3);
    const said = { name: p.name, server };
    if (!a.ok) return dnsFailure(t, a, said, { server: p.server ?? 'system', family }, budget);
    return dnsAnswer(t, p, a.addresses, resolveMs, said);
  },
});

type Said = { name: string; server: string };

/** Why the name did not resolve, and what to try. */
function dnsFailure(
  t: Translator,
  a: Extract<Answer, { ok: false }>,
  said: Said,
  details: { server: string; family: Family },
  budget: number,
): CheckOutcome {
  const fail = (message: string, code: string, hint: string) =>
    failed(code, message, { details, ...bothHints(hint) });
  switch (a.code) {
    case 'CANCELLED':
      return cancelled(t('net.cancelled'));
    case 'ENOTFOUND':
      return fail(t('net.dns.notfound', said), 'ENOTFOUND', t('net.dns.hint.notfound'));
    case 'ENODATA': {
      const family = details.family === 'any' ? 'IP' : details.family === 'ipv4' ? 'IPv4' : 'IPv6';
      return fail(t('net.dns.nodata', { ...said, family }), 'ENODATA', t('net.dns.hint.notfound'));
    }
    case 'TIMEOUT':
    case 'EAI_AGAIN':
      return fail(t('net.dns.timeout', { ...said, s: seconds(budget) }), a.code, t('net.dns.hint.timeout'));
    case 'ECONNREFUSED':
    case 'EREFUSED':
      return fail(t('net.dns.refused', said), a.code, t('net.dns.hint.timeout'));
    default:
      return fail(t('net.dns.failed', { name: said.name, code: a.code }), a.code, t('net.dns.hint.notfound'));
  }
}

/** The answer: the expected addresses are among it, and it came fast enough. */
function dnsAnswer(
  t: Translator,
  p: Static<typeof dnsParams>,
  addresses: string[],
  resolveMs: number,
  said: Said,
): CheckOutcome {
  const metrics = { resolve_ms: resolveMs, addresses: addresses.length };
  const details = { server: p.server ?? 'system', family: p.family ?? 'any', addresses };
  const shown = addresses.join(', ');
  const norm = (s: string) => s.toLowerCase().replace(/^\[|\]$/g, '');
  const missing = (p.expect ?? []).filter((e) => !addresses.some((x) => norm(x) === norm(e)));
  if (missing.length > 0) {
    const message = t('net.dns.mismatch', { name: p.name, addresses: shown, missing: missing.join(', ') });
    return failed('DNS_MISMATCH', message, { metrics, details, ...bothHints(t('net.dns.hint.mismatch')) });
  }
  const judged = judgeMetrics(
    t,
    metrics,
    dnsKind.thresholds ?? {},
    { warn: p.warn, fail: p.fail },
    { hints: { resolve_ms: 'net.dns.hint.timeout' } },
  );
  return judgedOutcome(
    judged,
    t('net.dns.ok', { ...said, addresses: shown, ms: formatNumber(resolveMs) }) + overLimits(t, judged),
    { metrics, details },
  );
}

/** The registry imports this kind as `dns`. */
export { dnsKind as dns };
