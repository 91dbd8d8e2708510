/**
 * `diemcau call`: the codec's active calls with their media figures.
 * `--watch` refreshes every --interval (default 2 s) until Ctrl-C or
 * --count snapshots; on a terminal the table is redrawn in place.
 */
import type { Context } from '../../cli/context.js';
import type { CallFlags } from '../../cli/wiring/codec.js';
import { type MediaSummary, summarize } from '../../drivers/media.js';
import type { CallInfo, CodecDriver } from '../../drivers/types.js';
import { ExitCode, UsageError } from '../../errors.js';
import { sleep } from '../../util/sleep.js';
import { fmt, loadCodecSite, openDriver, table } from './shared.js';

export type CallOptions = CallFlags;

export interface CallRow extends CallInfo {
  media?: MediaSummary;
}

/** One snapshot: every call, with media figures for the connected ones. */
export async function snapshot(driver: CodecDriver): Promise<CallRow[]> {
  const calls = (await driver.calls?.()) ?? [];
  return Promise.all(
    calls.map(async (c): Promise<CallRow> => {
      if (c.state !== 'connected' || !driver.mediaStats) return c;
      return { ...c, media: summarize(await driver.mediaStats(c.id)) };
    }),
  );
}

/**
 * What the codec is busy with though it lists no call (a Cisco in a Teams
 * call has no Call node: docs/drivers.md); undefined when it lists one or is idle.
 */
async function unlisted(driver: CodecDriver, rows: CallRow[]): Promise<string | undefined> {
  return rows.length === 0 ? await driver.busy?.() : undefined;
}

function render(ctx: Context, rows: CallRow[], format: 'table' | 'json', busy?: string): string {
  const { t } = ctx;
  if (format === 'json') return `${JSON.stringify({ calls: rows, ...(busy ? { busy } : {}) })}\n`;
  if (busy) return `${t('codec.call.unlisted', { what: busy })}\n`;
  if (rows.length === 0) return `${t('codec.call.none')}\n`;
  const header = [
    t('codec.col.id'),
    t('codec.col.remote'),
    t('codec.col.state'),
    t('codec.col.protocol'),
    t('codec.col.call_rate'),
    t('codec.col.duration'),
    t('codec.col.rx_rate'),
    t('codec.col.loss'),
    t('codec.col.jitter'),
  ];
  const body = rows.map((r) => [
    r.id,
    r.remote || '-',
    t(`codec.state.${r.state}`),
    r.protocol ?? '-',
    fmt(r.rateKbps, 0),
    fmt(r.durationS, 0),
    // No received channel listed: the codec said nothing about media, which is not 0 kbps.
    fmt(r.media?.rx_channels ? r.media.rx_rate_kbps : undefined, 0),
    fmt(r.media?.rx_loss_pct, 2),
    fmt(r.media?.jitter_ms),
  ]);
  return table(ctx, header, body);
}

export async function callCommand(baseCtx: Context, opts: CallOptions): Promise<number> {
  const { profile, ctx } = await loadCodecSite(baseCtx, opts.profile);
  const { t } = ctx;
  const format = opts.format ?? 'table';
  if (opts.count !== undefined && !opts.watch) throw new UsageError(t('codec.call.count_needs_watch'));
  if (opts.meeting !== undefined && !opts.upload) throw new UsageError(t('roll.meeting_needs_upload'));
  // Before the codec is opened: a profile with no registry is told so at once.
  const roll = opts.upload
    ? (await import('../../registry/roll-call.js')).startRollCall(ctx, profile, {
        ...(opts.registry ? { registry: opts.registry } : {}),
        ...(opts.meeting ? { meeting: opts.meeting } : {}),
      })
    : undefined;
  const driver = await openDriver(ctx, profile);
  try {
    if (!driver.calls)
      throw new UsageError(
        t('codec.check.unsupported', { driver: driver.name, capability: t('codec.cap.calls') }),
      );
    const max = opts.watch ? (opts.count ?? Number.POSITIVE_INFINITY) : 1;
    const redraw = opts.watch && ctx.io.stdoutTTY && format === 'table';
    for (let i = 0; i < max; i++) {
      const rows = await snapshot(driver);
      const busy = await unlisted(driver, rows);
      await roll?.observe(rows, busy);
      const text = render(ctx, rows, format, busy);
      if (redraw)
        ctx.io.stdout.write(
          `\x1b[H\x1b[2J${t('codec.call.watch_title', { time: ctx.clock.now().toLocaleTimeString(ctx.locale === 'vi' ? 'vi-VN' : 'en-GB') })}\n\n${text}`,
        );
      else if (opts.watch && format === 'table')
        ctx.io.stdout.write(`${i > 0 ? '\n' : ''}# ${ctx.clock.now().toISOString()}\n${text}`);
      else ctx.io.stdout.write(text);
      if (i + 1 >= max) break;
      await sleep(opts.interval ?? 2_000, ctx.signal);
      if (ctx.signal.aborted) return ExitCode.cancelled;
    }
    return ExitCode.ready;
  } finally {
    await driver.close();
  }
}
