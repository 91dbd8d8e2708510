/**
 * `diemcau join [bridge]`: for PC endpoints whose bridge has a `web_url`
 * (a WebRTC meeting link): check that the link answers, then open it in the
 * default browser; print it when no browser can be opened here (a server,
 * an SSH session) or with --print.
 */
import type { Context } from '../../cli/context.js';
import type { JoinFlags } from '../../cli/wiring/codec.js';
import { DriverError, ExitCode, UsageError } from '../../errors.js';
import type { BridgeConfig } from '../../model/bridge.js';
import { loadCodecSite } from './shared.js';

export type JoinOptions = JoinFlags & { target?: string };

const CHECK_TIMEOUT_MS = 10_000;

function pickBridge(
  ctx: Context,
  bridges: BridgeConfig[],
  target: string | undefined,
): BridgeConfig & { web_url: string } {
  const { t } = ctx;
  if (target !== undefined) {
    const b = bridges.find((x) => x.id === target);
    if (!b)
      throw new UsageError(
        t('codec.cmd.unknown_bridge', { id: target, known: bridges.map((x) => x.id).join(', ') || '-' }),
      );
    if (!b.web_url)
      throw new UsageError(t('codec.join.no_web_url', { id: b.id }), { hint: t('codec.join.hint.web_url') });
    return b as BridgeConfig & { web_url: string };
  }
  const b = bridges.find((x) => x.web_url);
  if (!b) throw new UsageError(t('codec.join.none'), { hint: t('codec.join.hint.web_url') });
  return b as BridgeConfig & { web_url: string };
}

/** Can a browser be opened here? Not on Linux without a display (servers, SSH sessions). */
export function canOpenBrowser(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

async function checkLink(ctx: Context, url: string): Promise<number> {
  const { request } = await import('undici');
  const timeout = AbortSignal.timeout(CHECK_TIMEOUT_MS);
  try {
    const res = await request(url, {
      method: 'GET',
      signal: AbortSignal.any([ctx.signal, timeout]),
      headers: { 'user-agent': `diemcau/${ctx.version}` },
    });
    await res.body.dump();
    return res.statusCode;
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    let e: unknown = err;
    let code: string | undefined;
    for (let i = 0; i < 4 && e && typeof e === 'object' && !code; i++) {
      code = (e as { code?: string }).code;
      e = (e as { cause?: unknown }).cause;
    }
    const reason = timeout.aborted
      ? `${CHECK_TIMEOUT_MS / 1000} s`
      : (code ?? (err instanceof Error ? err.message : String(err)));
    throw new DriverError('JOIN_UNREACHABLE', ctx.t('codec.join.unreachable', { url, reason }), {
      hint: ctx.t('codec.join.hint.unreachable'),
    });
  }
}

export async function joinCommand(baseCtx: Context, opts: JoinOptions): Promise<number> {
  const { profile, ctx } = await loadCodecSite(baseCtx, opts.profile);
  const { t } = ctx;
  const bridge = pickBridge(ctx, profile.bridges, opts.target);
  const url = bridge.web_url;
  const status = await checkLink(ctx, url);
  if (status >= 400) {
    throw new DriverError('JOIN_HTTP', t('codec.join.http', { url, status }), {
      hint: t('codec.join.hint.unreachable'),
    });
  }
  const name = bridge.name ?? bridge.id;
  if (!opts.print && canOpenBrowser(ctx.env)) {
    try {
      const { default: open } = await import('open');
      await open(url);
      ctx.io.stderr.write(`${t('codec.join.opened', { name })}\n`);
      return ExitCode.ready;
    } catch {
      // Fall through: print the link.
    }
  }
  ctx.io.stdout.write(`${url}\n`);
  if (!opts.print) ctx.io.stderr.write(`${t('codec.join.no_browser', { name })}\n`);
  return ExitCode.ready;
}
