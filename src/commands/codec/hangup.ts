/**
 * `diemcau hangup [call-id] [--all]`: end a call on the site's codec. With
 * no id it ends the only call; with several calls it asks for an id or
 * --all rather than guess (one of them may be a meeting).
 */
import type { Context } from '../../cli/context.js';
import type { HangupFlags } from '../../cli/wiring/codec.js';
import { canCall } from '../../drivers/call-flow.js';
import { ExitCode, UsageError } from '../../errors.js';
import { loadCodecSite, openDriver } from './shared.js';

export type HangupOptions = HangupFlags & { callId?: string };

export async function hangupCommand(baseCtx: Context, opts: HangupOptions): Promise<number> {
  const { profile, ctx } = await loadCodecSite(baseCtx, opts.profile);
  const { t } = ctx;
  if (opts.callId !== undefined && opts.all) throw new UsageError(t('codec.hangup.id_and_all'));
  const driver = await openDriver(ctx, profile);
  try {
    if (!canCall(driver))
      throw new UsageError(
        t('codec.check.unsupported', { driver: driver.name, capability: t('codec.cap.hangup') }),
      );
    const calls = await driver.calls();
    let ids: string[];
    if (opts.callId !== undefined) ids = [opts.callId];
    else if (opts.all || calls.length <= 1) ids = calls.map((c) => c.id);
    else {
      const list = calls.map((c) => `${c.id} (${c.remote})`).join(', ');
      throw new UsageError(t('codec.hangup.several', { list }), { hint: t('codec.hangup.hint.several') });
    }
    if (ids.length === 0) {
      ctx.io.stderr.write(`${t('codec.hangup.none')}\n`);
      return ExitCode.ready;
    }
    for (const id of ids) {
      await driver.hangup(id);
      const remote = calls.find((c) => c.id === id)?.remote;
      ctx.io.stderr.write(`${t('codec.hangup.done', { id, remote: remote || '-' })}\n`);
    }
    return ExitCode.ready;
  } finally {
    await driver.close();
  }
}
