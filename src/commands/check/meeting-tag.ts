/**
 * `check --meeting ID`: when a registry is configured and the tag is a
 * meeting number, ask the registry that the meeting exists before checking.
 * No such meeting is a usage error (exit 3); a registry that cannot be asked
 * (offline, slow, refusing the token) is a warning and the run goes on
 * (docs/meetings.md).
 */
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../errors.js';
import type { ResolvedProfile } from '../../profile/types.js';
import { netErrorText } from '../../registry/error-text.js';
import { clientFor, resolveTarget } from '../../registry/session.js';

/** The check must not wait long for the registry: one short try. */
const ASK_MS = '3000';

export async function verifyMeetingTag(
  ctx: Context,
  profile: ResolvedProfile | undefined,
  tag: string,
): Promise<void> {
  if (!/^[1-9]\d{0,15}$/.test(tag)) return;
  if (!(ctx.env.DIEMCAU_REGISTRY || profile?.registry?.url)) return;
  const { t } = ctx;
  const target = resolveTarget(ctx, { profile });
  const quick: Context = {
    ...ctx,
    env: { DIEMCAU_REGISTRY_TIMEOUT_MS: ASK_MS, DIEMCAU_REGISTRY_DEADLINE_MS: ASK_MS, ...ctx.env },
  };
  const client = clientFor(quick, target);
  try {
    const outcome = await client.send('GET', `/v1/meetings/${tag}`, {});
    if (outcome.kind === 'ok') return;
    if (outcome.kind === 'http-error' && outcome.status === 404 && !outcome.foreign)
      throw new UsageError(t('check.err.no_meeting', { id: tag, url: target.url }));
    const reason =
      outcome.kind === 'unreachable' ? netErrorText(t, outcome.code, outcome.message) : outcome.message;
    ctx.io.stderr.write(`${t('check.warn.meeting_unverified', { id: tag, reason })}\n`);
  } finally {
    await client.close();
  }
}
