/**
 * `tcp`: a port (SIP 5060/5061, H.323 1720, HTTPS 443) accepts a connection,
 * and how long the handshake took. A name is looked up first; that time is
 * reported apart (lookup_ms) so connect_ms is the network's alone.
 */
import net from 'node:net';
import { Type } from '@sinclair/typebox';
import { formatNumber } from '../report/metrics.js';
import { errCode, errMessage, overLimits, ownBudgetMs, seconds } from './net-common.js';
import { bothHints, cancelled, failed, judgedOutcome } from './outcome.js';
import { Host, Limits, Port } from './params.js';
import { judgeMetrics, round } from './thresholds.js';
import { type CheckOutcome, defineKind } from './types.js';

const tcpLimits = { connect_ms: 'Time of the TCP handshake (ms).' };

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const NOT_FOUND = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);

type Attempt =
  | { ok: true; lookupMs?: number; connectMs: number; address?: string; family?: string }
  | { ok: false; code: string; message: string; address?: string };

function connect(
  host: string,
  port: number,
  budgetMs: number,
  signal: AbortSignal,
  now: () => number,
): Promise<Attempt> {
  return new Promise((resolve) => {
    const t0 = now();
    let tLookup: number | undefined;
    let address: string | undefined;
    let done = false;
    const socket = net.connect({ host, port });
    const finish = (a: Attempt) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(a);
    };
    const timer = setTimeout(
      () => finish({ ok: false, code: 'TIMEOUT', message: 'timeout', ...(address ? { address } : {}) }),
      budgetMs,
    );
    const onAbort = () => finish({ ok: false, code: 'CANCELLED', message: 'cancelled' });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    socket.once('lookup', (err, addr) => {
      tLookup = now();
      if (!err) address = addr;
    });
    socket.once('connect', () => {
      const tConnect = now();
      finish({
        ok: true,
        connectMs: tConnect - (tLookup ?? t0),
        ...(tLookup === undefined ? {} : { lookupMs: tLookup - t0 }),
        ...(socket.remoteAddress ? { address: socket.remoteAddress } : {}),
        ...(socket.remoteFamily ? { family: socket.remoteFamily } : {}),
      });
    });
    socket.once('error', (err) => {
      finish({
        ok: false,
        code: errCode(err) ?? 'ECONNECT',
        message: errMessage(err),
        ...(address ? { address } : {}),
      });
    });
  });
}

export const tcp = defineKind({
  kind: 'tcp',
  remote: true,
  params: Type.Object({
    target: Host,
    port: Port,
    warn: Limits(tcpLimits),
    fail: Limits(tcpLimits),
  }),
  defaultTimeoutMs: 5_000,
  thresholds: { connect_ms: 'max' },
  async run(p, ctx): Promise<CheckOutcome> {
    const { t } = ctx;
    const host = p.target.replace(/^\[|\]$/g, '');
    const budget = ownBudgetMs(ctx);
    const a = await connect(host, p.port, budget, ctx.signal, () => ctx.clock.monotonic());
    const where = { target: p.target, port: p.port };
    if (a.ok) {
      const metrics: Record<string, number> = { connect_ms: round(a.connectMs, 3) };
      if (a.lookupMs !== undefined) metrics.lookup_ms = round(a.lookupMs, 3);
      const judged = judgeMetrics(
        t,
        metrics,
        tcp.thresholds ?? {},
        { warn: p.warn, fail: p.fail },
        { hints: { connect_ms: 'net.tcp.hint.timeout' } },
      );
      return judgedOutcome(
        judged,
        t('net.tcp.ok', { ...where, ms: formatNumber(metrics.connect_ms as number) }) + overLimits(t, judged),
        { metrics, details: { address: a.address, family: a.family, port: p.port } },
      );
    }
    const details = a.address ? { address: a.address, port: p.port } : { port: p.port };
    // A failure's hint shows under the result and stays on its error.
    const fail = (code: string, message: string, hint?: string) =>
      failed(code, message, { details, ...bothHints(hint) });
    if (a.code === 'CANCELLED') return cancelled(t('net.cancelled'));
    if (a.code === 'ECONNREFUSED')
      return fail('ECONNREFUSED', t('net.tcp.refused', where), t('net.tcp.hint.refused'));
    if (a.code === 'TIMEOUT' || a.code === 'ETIMEDOUT')
      return fail(
        'TIMEOUT',
        t('net.tcp.timeout', { ...where, s: seconds(budget) }),
        t('net.tcp.hint.timeout'),
      );
    if (UNREACHABLE.has(a.code))
      return fail(
        a.code,
        t('net.tcp.unreachable', { target: p.target, code: a.code }),
        t('net.tcp.hint.unreachable'),
      );
    if (NOT_FOUND.has(a.code))
      return fail(a.code, t('net.dns.failed', { name: p.target, code: a.code }), t('net.dns.hint.notfound'));
    return fail(a.code, t('net.tcp.failed', { ...where, message: a.message }));
  },
});
