/**
 * `tcp`: a port (SIP 5060/5061, H.323 1720, HTTPS 443) accepts a connection,
 * and how long the handshake took. A name is looked up first; that time is
 * reported apart (lookup_ms) so connect_ms is the network's alone.
 */
import net from 'node:net';
import { Type } from '@sinclair/typebox';
import { formatNumber } from '../report/metrics.js';
import { errCode, errMessage, judgeMetrics, ownBudgetMs, seconds } from './net-common.js';
import { Host, Limits, Port } from './params.js';
import { round } from './thresholds.js';
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
      const judged = judgeMetrics(t, metrics, tcp.thresholds ?? {}, p.warn, p.fail, {
        connect_ms: 'net.tcp.hint.timeout',
      });
      return {
        status: judged.status,
        summary:
          t('net.tcp.ok', { ...where, ms: formatNumber(metrics.connect_ms as number) }) + judged.suffix,
        metrics,
        details: { address: a.address, family: a.family, port: p.port },
        ...(judged.hint ? { hint: judged.hint } : {}),
      };
    }
    const details = a.address ? { address: a.address, port: p.port } : { port: p.port };
    if (a.code === 'CANCELLED') {
      const message = t('net.cancelled');
      return { status: 'error', summary: message, error: { code: 'CANCELLED', message } };
    }
    if (a.code === 'ECONNREFUSED') {
      const message = t('net.tcp.refused', where);
      const hint = t('net.tcp.hint.refused');
      return {
        status: 'fail',
        summary: message,
        details,
        error: { code: 'ECONNREFUSED', message, hint },
        hint,
      };
    }
    if (a.code === 'TIMEOUT' || a.code === 'ETIMEDOUT') {
      const message = t('net.tcp.timeout', { ...where, s: seconds(budget) });
      const hint = t('net.tcp.hint.timeout');
      return { status: 'fail', summary: message, details, error: { code: 'TIMEOUT', message, hint }, hint };
    }
    if (UNREACHABLE.has(a.code)) {
      const message = t('net.tcp.unreachable', { target: p.target, code: a.code });
      const hint = t('net.tcp.hint.unreachable');
      return { status: 'fail', summary: message, details, error: { code: a.code, message, hint }, hint };
    }
    if (NOT_FOUND.has(a.code)) {
      const message = t('net.dns.failed', { name: p.target, code: a.code });
      const hint = t('net.dns.hint.notfound');
      return { status: 'fail', summary: message, details, error: { code: a.code, message, hint }, hint };
    }
    const message = t('net.tcp.failed', { ...where, message: a.message });
    return { status: 'fail', summary: message, details, error: { code: a.code, message } };
  },
});
