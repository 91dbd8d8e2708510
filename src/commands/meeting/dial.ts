/**
 * `diemcau meeting dial <id>`: read the meeting from the registry and dial
 * its bridge through this site's codec, as `diemcau dial` does (the drivers'
 * refusal reasons, exit 2 when the call is refused). A bridge of the profile
 * with the same URI is dialled with its own settings (rate, protocol); a
 * cancelled, postponed or finished meeting is not dialled (docs/meetings.md).
 */
import type { Context } from '../../cli/context.js';
import type { MeetingDialFlags } from '../../cli/wiring/meeting.js';
import { UsageError } from '../../errors.js';
import type { Meeting } from '../../model/meeting.js';
import { clientFor, resolveTarget } from '../../registry/session.js';
import { sameBridge } from '../../registry/store/call-states.js';
import { dialBridge } from '../codec/dial.js';
import { loadCodecSite } from '../codec/shared.js';
import { call, type MeetingSession } from './common.js';

export async function dialMeetingCommand(
  ctx0: Context,
  opts: MeetingDialFlags & { id: number },
): Promise<number> {
  const { profile, ctx } = await loadCodecSite(ctx0, opts.profile);
  const { t } = ctx;
  const target = resolveTarget(ctx, { flag: opts.registry, profile });
  const s: MeetingSession = { ctx, profile, target, client: clientFor(ctx, target) };
  let m: Meeting;
  try {
    m = await call<Meeting>(s, 'GET', `/v1/meetings/${opts.id}`);
  } finally {
    await s.client.close();
  }
  if (m.status !== 'scheduled' && m.status !== 'in-progress')
    throw new UsageError(t('meeting.dial.not_active', { id: m.id, status: t(`meeting.status.${m.status}`) }));
  const uri = m.bridgeUri ?? m.bridge;
  const own = profile.bridges.find((b) => sameBridge(b.uri, uri));
  ctx.io.stderr.write(`${t('meeting.dial.dialling', { id: m.id, title: m.title, bridge: uri })}\n`);
  return dialBridge(profile, own?.id ?? uri, ctx, opts.wait !== undefined ? { wait: opts.wait } : {});
}
