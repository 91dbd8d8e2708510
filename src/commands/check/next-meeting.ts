/**
 * One line on a terminal before a site's results: its next meeting and how
 * long until T−60 (docs/meetings.md). Asked of the registry while the checks
 * run; a registry that is slow or away is never waited for, and nothing is
 * said about it. Never in sweeps nor when the output is piped (the caller decides).
 */
import type { Context } from '../../cli/context.js';
import type { MeetingList } from '../../model/meeting.js';
import type { ResolvedProfile } from '../../profile/types.js';
import { clientFor, resolveTarget } from '../../registry/session.js';
import { local } from '../meeting/common.js';
import { leftText, nextOf } from '../meeting/next.js';

const T60_MS = 60 * 60_000;
/** The whole question, at most. */
const ASK_MS = 2000;
/** Once the checks are done, how much longer the answer may take. */
const GRACE_MS = 300;

export interface NextMeetingAsk {
  /** The line, if the answer came in time (waits GRACE_MS at most); then stops asking. */
  line(): Promise<string | undefined>;
}

export function askNextMeeting(ctx: Context, profile: ResolvedProfile): NextMeetingAsk | undefined {
  if (!(ctx.env.DIEMCAU_REGISTRY || profile.registry?.url)) return undefined;
  const { t } = ctx;
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), ASK_MS);
  timer.unref?.();
  const quick: Context = {
    ...ctx,
    signal: AbortSignal.any([ctx.signal, stop.signal]),
    env: {
      ...ctx.env,
      DIEMCAU_REGISTRY_TIMEOUT_MS: String(ASK_MS),
      DIEMCAU_REGISTRY_DEADLINE_MS: String(ASK_MS),
    },
  };
  const asked = (async (): Promise<string | undefined> => {
    const client = clientFor(quick, resolveTarget(quick, { profile }));
    try {
      const nowMs = ctx.clock.now().getTime();
      const outcome = await client.send<MeetingList>('GET', '/v1/meetings', {
        query: { site: profile.site.id, from: new Date(nowMs).toISOString(), limit: 50 },
      });
      if (outcome.kind !== 'ok') return undefined;
      const m = nextOf(outcome.body.items);
      if (!m) return undefined;
      const t60 = Date.parse(m.start) - T60_MS;
      const when = local(ctx, m.start);
      return t60 > nowMs
        ? t('check.next_meeting', { id: m.id, title: m.title, when, left: leftText(t60 - nowMs, t) })
        : t('check.next_meeting_now', { id: m.id, title: m.title, when });
    } catch {
      return undefined;
    } finally {
      await client.close();
    }
  })();
  return {
    async line() {
      let grace: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<undefined>((resolve) => {
        grace = setTimeout(() => resolve(undefined), GRACE_MS);
      });
      try {
        return await Promise.race([asked, late]);
      } finally {
        clearTimeout(grace);
        clearTimeout(timer);
        stop.abort();
      }
    },
  };
}
