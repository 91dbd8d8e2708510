/** `diemcau meeting next`: this site's next meeting — when, bridge, host — and the time left until T−60. */
import type { Context } from '../../cli/context.js';
import type { MeetingNextFlags } from '../../cli/wiring/meeting.js';
import { UsageError } from '../../errors.js';
import type { Translator } from '../../i18n/index.js';
import type { Meeting, MeetingList } from '../../model/meeting.js';
import { call, json, local, openMeetingSession, zoneOf } from './common.js';

/** T−60: technicians on site with a trial session (docs/meetings.md). */
const T60_MS = 60 * 60_000;

/** "2 h 05 min", "3 d 4 h", "12 min". */
export function leftText(ms: number, t: Translator): string {
  const min = Math.max(0, Math.ceil(ms / 60_000));
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  if (d) return t('meeting.left.dh', { d, h });
  if (h) return t('meeting.left.hm', { h, m: String(m).padStart(2, '0') });
  return t('meeting.left.m', { m });
}

/** The site's next meeting that has not ended: the one starting soonest (an emergency among equals first). */
export function nextOf(items: readonly Meeting[]): Meeting | undefined {
  return [...items]
    .filter((m) => m.status === 'scheduled' || m.status === 'in-progress')
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || (a.kind === 'emergency' ? -1 : 1))[0];
}

export async function nextCommand(ctx0: Context, opts: MeetingNextFlags): Promise<number> {
  const s = await openMeetingSession(ctx0, opts);
  const { ctx } = s;
  const { t } = ctx;
  try {
    const site = opts.site ?? s.profile?.site.id;
    if (!site) throw new UsageError(t('meeting.err.no_site'));
    const nowMs = ctx.clock.now().getTime();
    const list = await call<MeetingList>(s, 'GET', '/v1/meetings', {
      query: { site, from: new Date(nowMs).toISOString(), limit: 50 },
    });
    const m = nextOf(list.items);
    if (opts.format === 'json') {
      ctx.io.stdout.write(
        json({
          site,
          meeting: m ?? null,
          t60: m ? new Date(Date.parse(m.start) - T60_MS).toISOString() : null,
        }),
      );
      return 0;
    }
    if (!m) {
      ctx.io.stdout.write(`${t('meeting.next.none', { site })}\n`);
      return 0;
    }
    const t60 = Date.parse(m.start) - T60_MS;
    const at = local(ctx, new Date(t60).toISOString()).slice(0, 5);
    const lines = [
      t('meeting.next.when', { id: m.id, title: m.title }),
      t('meeting.next.at', { when: local(ctx, m.start), zone: zoneOf(ctx) }),
      t('meeting.next.bridge', { bridge: m.bridgeUri ? `${m.bridge} (${m.bridgeUri})` : m.bridge }),
      t('meeting.next.host', { host: m.hostUnit }),
      ...(m.kind === 'emergency' ? [t('meeting.next.emergency')] : []),
      t60 > nowMs
        ? t('meeting.next.t60', { left: leftText(t60 - nowMs, t), at })
        : t('meeting.next.t60_passed', { at }),
    ];
    ctx.io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await s.client.close();
  }
}
