/** `diemcau meeting ics [--site ID|--unit PREFIX] -o FILE`: the meetings ahead as one iCalendar file. */
import type { Context } from '../../cli/context.js';
import type { MeetingIcsFlags } from '../../cli/wiring/meeting.js';
import type { Meeting, MeetingList } from '../../model/meeting.js';
import { meetingsIcs } from '../../registry/meeting-ics.js';
import { icsWords } from '../../registry/routes/meetings.js';
import { sinceOf, writeOutput } from '../common.js';
import { call, openMeetingSession } from './common.js';

export async function icsCommand(ctx0: Context, opts: MeetingIcsFlags): Promise<number> {
  const s = await openMeetingSession(ctx0, opts);
  const { ctx } = s;
  try {
    const from = opts.from !== undefined ? sinceOf(ctx, opts.from) : ctx.clock.now().toISOString();
    const items: Meeting[] = [];
    let cursor: string | undefined;
    do {
      const page: MeetingList = await call<MeetingList>(s, 'GET', '/v1/meetings', {
        query: { site: opts.site, unit: opts.unit, from, limit: 500, cursor },
      });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const text = await meetingsIcs(items, {
      name: opts.site ?? opts.unit ?? 'diemcau',
      host: new URL(s.target.url).hostname,
      words: icsWords(ctx.t),
      nowMs: ctx.clock.now().getTime(),
    });
    await writeOutput(ctx, opts.output, text);
    ctx.io.stderr.write(`${ctx.t('meeting.ics.written', { n: items.length, file: opts.output })}\n`);
    return 0;
  } finally {
    await s.client.close();
  }
}
