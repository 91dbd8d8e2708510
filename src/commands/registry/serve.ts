/**
 * `diemcau registry serve`: open the store, build the app, listen, and on
 * Ctrl-C / SIGTERM (ctx.signal, or the `stop` signal the wiring passes) stop
 * taking requests, finish those in flight, close the store, return 0.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type ChannelLookup, channelLookup } from '../../alerts/lookup.js';
import type { Context } from '../../cli/context.js';
import type { ServeFlags } from '../../cli/wiring/registry.js';
import { DiemcauError, FileError, UsageError } from '../../errors.js';
import { buildApp, DEFAULT_BODY_LIMIT, DEFAULT_STALE_MS } from '../../registry/server.js';
import { openStore, redactDb } from '../../registry/store/open.js';
import { dbOf } from './db.js';

/** The flags of `diemcau registry serve` (--stale in ms, --body-limit in bytes), and what the wiring and tests add. */
export type ServeOptions = ServeFlags & {
  /** Aborted on SIGTERM (the wiring adds it to Ctrl-C). */
  stop?: AbortSignal;
  /** Called once listening (tests learn the port). */
  onListening?: (url: string) => void;
  /** Channel kinds by name (default: the program's, src/alerts/lookup.ts). */
  channelLookup?: ChannelLookup;
};

export const DEFAULT_PORT = 8080;
/** After this long, connections still open at shutdown are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

/** --tls-cert and --tls-key, read before anything opens: both or neither. */
function tlsOf(ctx: Context, opts: ServeOptions): { cert: Buffer; key: Buffer } | undefined {
  const { t } = ctx;
  if (!opts.tlsCert && !opts.tlsKey) return undefined;
  if (!opts.tlsCert || !opts.tlsKey) throw new UsageError(t('registry.err.tls_pair'));
  const read = (flag: string, file: string): Buffer => {
    try {
      return fs.readFileSync(path.resolve(ctx.cwd, file));
    } catch (err) {
      throw new FileError(t('registry.err.tls_file', { flag, file, reason: (err as Error).message }), {
        cause: err,
      });
    }
  };
  return { cert: read('--tls-cert', opts.tlsCert), key: read('--tls-key', opts.tlsKey) };
}

export async function serveCommand(ctx: Context, opts: ServeOptions): Promise<number> {
  const { t } = ctx;
  const tls = tlsOf(ctx, opts);
  const db = dbOf(ctx, opts.db);
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? DEFAULT_PORT;
  const { loadBridges } = await import('../meeting/bridges.js');
  const bridges = await loadBridges(ctx, opts.bridges ?? []);
  const lookup = opts.channelLookup ?? channelLookup();
  // A bad alerts file stops the start before anything opens (exit 3, file:line:col).
  const fileAlerts = opts.alerts
    ? await (await import('../../alerts/file.js')).loadAlertsFile(opts.alerts, {
        t,
        env: ctx.env,
        cwd: ctx.cwd,
        lookup,
      })
    : undefined;
  const store = await openStore(db).catch((err: Error) => {
    throw new UsageError(t('registry.err.db', { db: redactDb(db), reason: err.message }), { cause: err });
  });
  if (fileAlerts) store.alerts.config = fileAlerts;
  const app = await buildApp({
    ...(tls ? { tls } : {}),
    store,
    version: ctx.version,
    staleMs: opts.stale ?? DEFAULT_STALE_MS,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    logLevel: opts.logLevel ?? 'warn',
    logStream: { write: (line: string) => ctx.io.stderr.write(line) },
    trustProxy: opts.trustProxy ?? false,
    bridges,
    alerts: { source: fileAlerts ? 'file' : 'database', lookup },
  }).catch(async (err: Error) => {
    await store.close().catch(() => {});
    // A key that does not match the certificate, or a file that is not PEM.
    if (tls)
      throw new UsageError(
        t('registry.err.tls', { cert: opts.tlsCert ?? '', key: opts.tlsKey ?? '', reason: err.message }),
        { cause: err },
      );
    throw err;
  });
  let reflector: { port: number; close(): Promise<void> } | undefined;
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close().catch(() => {});
    throw new DiemcauError(t('registry.err.listen', { host, port, reason: (err as Error).message }), {
      cause: err,
    });
  }
  try {
    if (opts.reflectorPort) {
      const { startReflector } = await import('../../registry/reflector.js');
      reflector = await startReflector({ host, port: opts.reflectorPort });
      ctx.io.stderr.write(`${t('registry.reflector', { port: reflector.port })}\n`);
    }
  } catch (err) {
    await app.close().catch(() => {});
    throw new DiemcauError(
      t('registry.err.listen', { host, port: opts.reflectorPort ?? 0, reason: (err as Error).message }),
      { cause: err },
    );
  }
  const { AlertWorker } = await import('../../alerts/worker.js');
  const worker = new AlertWorker({
    store,
    lookup,
    env: ctx.env,
    source: fileAlerts ? 'file' : 'database',
    ...(opts.alertTimeout !== undefined ? { timeoutMs: opts.alertTimeout } : {}),
    onError: (err) => app.log.error({ err }, 'alert delivery worker'),
  });
  worker.start();
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  ctx.io.stderr.write(`${t('registry.listening', { url, engine: store.engine, db: redactDb(db) })}\n`);
  opts.onListening?.(url);
  // T−15 snapshots, starts and ends of meetings (docs/meetings.md).
  const { startMeetingScheduler } = await import('../../registry/meeting-scheduler.js');
  const scheduler = startMeetingScheduler({
    store,
    now: () => ctx.clock.now().getTime(),
    ...(opts.meetingTick ? { tickMs: opts.meetingTick } : {}),
    onTick: (r) => {
      if (r.snapshots.length || r.started.length || r.ended.length) app.log.info(r, 'meeting scheduler');
    },
    onError: (err) => app.log.warn({ err }, 'meeting scheduler tick failed; trying again next tick'),
  });

  await new Promise<void>((resolve) => {
    const signals = [ctx.signal, opts.stop].filter((s): s is AbortSignal => s !== undefined);
    if (signals.some((s) => s.aborted)) return resolve();
    for (const s of signals) s.addEventListener('abort', () => resolve(), { once: true });
  });

  ctx.io.stderr.write(`${t('registry.stopping')}\n`);
  const force = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  try {
    await scheduler.stop();
    await worker.stop();
    await reflector?.close();
    await app.close();
  } finally {
    clearTimeout(force);
  }
  ctx.io.stderr.write(`${t('registry.stopped')}\n`);
  return 0;
}
