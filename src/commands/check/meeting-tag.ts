/**
 * `check --meeting ID`: when a registry is configured and the tag is a
 * meeting number, ask the registry that the meeting exists before checking.
 * No such meeting is a usage error (exit 3); a registry that cannot be asked
 * (offline, slow, refusing the token) is a warning and the run goes on
 * (docs/meetings.md). The meeting's own confirm items are then asked at
 * the sites that take part in it, as `confirm` checks.
 */
import { confirm } from '../../checks/confirm.js';
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../errors.js';
import { type Meeting, meetingConfirmCheckId } from '../../model/meeting.js';
import type { CheckSpec, ResolvedProfile } from '../../profile/types.js';
import { netErrorText } from '../../registry/error-text.js';
import { clientFor, resolveTarget } from '../../registry/session.js';

/** The check must not wait long for the registry: one short try. */
const ASK_MS = '3000';

export async function verifyMeetingTag(
  ctx: Context,
  profile: ResolvedProfile | undefined,
  tag: string,
): Promise<Meeting | undefined> {
  if (!/^[1-9]\d{0,15}$/.test(tag)) return undefined;
  if (!(ctx.env.DIEMCAU_REGISTRY || profile?.registry?.url)) return undefined;
  const { t } = ctx;
  const target = resolveTarget(ctx, { profile });
  const quick: Context = {
    ...ctx,
    env: { DIEMCAU_REGISTRY_TIMEOUT_MS: ASK_MS, DIEMCAU_REGISTRY_DEADLINE_MS: ASK_MS, ...ctx.env },
  };
  const client = clientFor(quick, target);
  try {
    const outcome = await client.send<Meeting>('GET', `/v1/meetings/${tag}`, {});
    if (outcome.kind === 'ok') return outcome.body;
    if (outcome.kind === 'http-error' && outcome.status === 404 && !outcome.foreign)
      throw new UsageError(t('check.err.no_meeting', { id: tag, url: target.url }));
    const reason =
      outcome.kind === 'unreachable' ? netErrorText(t, outcome.code, outcome.message) : outcome.message;
    ctx.io.stderr.write(`${t('check.warn.meeting_unverified', { id: tag, reason })}\n`);
    return undefined;
  } finally {
    await client.close();
  }
}

/** Does the site take part in the meeting: among its frozen sites, or named, or under one of its units? */
function takesPart(m: Meeting, site: ResolvedProfile['site']): boolean {
  if (m.frozenSites) return m.frozenSites.includes(site.id);
  const under = (u: string) => site.unit === u || site.unit.startsWith(`${u}/`);
  return (m.participants.sites ?? []).includes(site.id) || (m.participants.units ?? []).some(under);
}

/**
 * The profile with the meeting's confirm items after its own checks, as
 * `confirm` checks `meeting-confirm-<id>`, when the site takes part
 * (docs/meetings.md#the-meetings-own-confirm-items). A profile check of the
 * same id stays as it is.
 */
export function withMeetingConfirm(t: Context['t'], profile: ResolvedProfile, m: Meeting): ResolvedProfile {
  if (!m.confirm?.length || !takesPart(m, profile.site)) return profile;
  const have = new Set(profile.checks.map((c) => c.id));
  const note = t('check.meeting_confirm.note', { id: m.id, title: m.title });
  const added = m.confirm
    .map((item): CheckSpec => {
      const id = meetingConfirmCheckId(item.id);
      return {
        id,
        kind: 'confirm',
        required: item.required !== false,
        timeoutMs: confirm.defaultTimeoutMs,
        retries: 0,
        needs: [],
        params: { id, kind: 'confirm', question: item.question, note },
      };
    })
    .filter((c) => !have.has(c.id));
  return { ...profile, checks: [...profile.checks, ...added] };
}
