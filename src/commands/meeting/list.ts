/** `diemcau meeting list` and `meeting show <id>`: tables for people, JSON for scripts. */
import type { Context } from '../../cli/context.js';
import type { MeetingListFlags, MeetingShowFlags } from '../../cli/wiring/meeting.js';
import type { Meeting, MeetingList } from '../../model/meeting.js';
import { sinceOf } from '../common.js';
import { call, card, json, listTable, openMeetingSession, timeFlag } from './common.js';

export async function listCommand(ctx0: Context, opts: MeetingListFlags): Promise<number> {
  const s = await openMeetingSession(ctx0, opts);
  const { ctx } = s;
  try {
    const from = opts.from !== undefined ? sinceOf(ctx, opts.from) : ctx.clock.now().toISOString();
    const list = await call<MeetingList>(s, 'GET', '/v1/meetings', {
      query: {
        unit: opts.unit,
        site: opts.site,
        from,
        to: timeFlag(ctx, '--to', opts.to),
        status: opts.status,
        limit: opts.limit,
        cursor: opts.cursor,
      },
    });
    ctx.io.stdout.write(opts.format === 'json' ? json(list) : listTable(ctx, list, ctx.io.stdoutTTY));
    if (list.nextCursor && opts.format !== 'json')
      ctx.io.stderr.write(`${ctx.t('meeting.list.more', { cursor: list.nextCursor })}\n`);
    return 0;
  } finally {
    await s.client.close();
  }
}

export async function showCommand(ctx0: Context, opts: MeetingShowFlags & { id: number }): Promise<number> {
  const s = await openMeetingSession(ctx0, opts);
  try {
    const m = await call<Meeting>(s, 'GET', `/v1/meetings/${opts.id}`);
    s.ctx.io.stdout.write(opts.format === 'json' ? json(m) : card(s.ctx, m));
    return 0;
  } finally {
    await s.client.close();
  }
}
