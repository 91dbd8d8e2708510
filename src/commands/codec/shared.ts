/** What dial, hangup, call and join share: the site profile, the bridge asked for, the codec driver. */
import type { Context } from '../../cli/context.js';
import type { CodecDriver } from '../../drivers/types.js';
import { UsageError } from '../../errors.js';
import type { BridgeConfig } from '../../model/bridge.js';
import type { ResolvedProfile } from '../../profile/types.js';
import { simpleTable } from '../../util/table.js';
import { loadSite, resolveProfilePath } from '../common.js';

export async function loadCodecSite(
  ctx: Context,
  profileFlag: string | undefined,
): Promise<{ profile: ResolvedProfile; ctx: Context }> {
  return loadSite(ctx, await resolveProfilePath(ctx, profileFlag));
}

/**
 * The bridge to dial: an id from `bridges`, else something that looks like
 * an address (8001@mcu..., sip:..., h323:..., an IP), else the first bridge.
 */
export function resolveBridge(
  ctx: Context,
  profile: ResolvedProfile,
  target: string | undefined,
): BridgeConfig {
  const { t } = ctx;
  if (target === undefined) {
    const first = profile.bridges[0];
    if (!first) throw new UsageError(t('codec.cmd.no_bridges'), { hint: t('codec.sip.hint.no_bridge') });
    return first;
  }
  const byId = profile.bridges.find((b) => b.id === target);
  if (byId) return byId;
  if (/[@:.]/.test(target)) return { id: target, uri: target };
  const known = profile.bridges.map((b) => b.id).join(', ') || '-';
  throw new UsageError(t('codec.cmd.unknown_bridge', { id: target, known }));
}

/** The profile's codec driver; a profile without a controllable codec is a usage error (exit 3). */
export async function openDriver(ctx: Context, profile: ResolvedProfile): Promise<CodecDriver> {
  const { t } = ctx;
  if (!profile.codec)
    throw new UsageError(t('codec.check.no_codec'), { hint: t('codec.check.hint.no_codec') });
  if (profile.codec.driver === 'none')
    throw new UsageError(t('codec.check.driver_none'), { hint: t('codec.cmd.hint.none') });
  const dctx = { t, signal: ctx.signal };
  if (ctx.createDriver) return ctx.createDriver(profile.codec, dctx);
  const { createDriver } = await import('../../drivers/index.js');
  return createDriver(profile.codec, dctx);
}

/** Aligned on a terminal, tab-separated when piped (for scripts). */
export function table(ctx: Context, header: string[], rows: string[][]): string {
  return simpleTable(header, rows, ctx.io.stdoutTTY, ctx.io.columns);
}

export const fmt = (n: number | undefined, digits = 1): string => {
  if (n === undefined || !Number.isFinite(n)) return '-';
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
};
