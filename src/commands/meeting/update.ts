/** `diemcau meeting update|cancel|postpone <id>` and `meeting notice` (PATCH /v1/meetings/:id, PUT /v1/notice-rules). */
import type { Context } from '../../cli/context.js';
import type { MeetingMoveFlags, MeetingNoticeFlags, MeetingUpdateFlags } from '../../cli/wiring/meeting.js';
import { UsageError } from '../../errors.js';
import type { Meeting, MeetingPatch, NoticeRule } from '../../model/meeting.js';
import { call, card, json, openMeetingSession, statusWord, timeFlag } from './common.js';
import { confirmItems } from './confirm-items.js';

async function patch(
  ctx0: Context,
  opts: { profile?: string; registry?: string; format?: string; id: number },
  build: (ctx: Context) => MeetingPatch,
): Promise<number> {
  const s = await openMeetingSession(ctx0, opts);
  const { ctx } = s;
  try {
    const body = build(ctx);
    if (Object.keys(body).length === 0) throw new UsageError(ctx.t('meeting.err.nothing'));
    const m = await call<Meeting>(s, 'PATCH', `/v1/meetings/${opts.id}`, { body });
    ctx.io.stdout.write(
      opts.format === 'json'
        ? json(m)
        : `${ctx.t('meeting.changed', { id: m.id, status: statusWord(ctx, m) })}\n${card(ctx, m)}`,
    );
    return 0;
  } finally {
    await s.client.close();
  }
}

export function updateCommand(ctx: Context, opts: MeetingUpdateFlags & { id: number }): Promise<number> {
  return patch(ctx, opts, (c) => {
    const start = timeFlag(c, '--start', opts.start);
    const end = timeFlag(c, '--end', opts.end);
    const sites = opts.site;
    const units = opts.unit;
    const asked = opts.confirm !== undefined || opts.confirmAdvisory !== undefined;
    if (asked && opts.clearConfirm) throw new UsageError(c.t('meeting.err.confirm_clear'));
    const confirm = asked ? confirmItems(opts.confirm ?? [], opts.confirmAdvisory ?? []) : undefined;
    return {
      ...(opts.title ? { title: opts.title } : {}),
      ...(start ? { start } : {}),
      ...(end ? { end } : {}),
      ...(opts.bridge ? { bridge: opts.bridge } : {}),
      ...(opts.kind ? { kind: opts.kind } : {}),
      ...(opts.room !== undefined ? { room: opts.room || null } : {}),
      ...(sites || units
        ? { participants: { ...(sites?.length ? { sites } : {}), ...(units?.length ? { units } : {}) } }
        : {}),
      ...(opts.contact
        ? { contact: { name: opts.contact, ...(opts.phone ? { phone: opts.phone } : {}) } }
        : {}),
      ...(opts.notes !== undefined ? { notes: opts.notes || null } : {}),
      // The whole list again: --confirm replaces the meeting's questions, --clear-confirm removes them.
      ...(confirm ? { confirm } : opts.clearConfirm ? { confirm: null } : {}),
      ...(opts.allowClash ? { allowClash: true } : {}),
      ...(opts.note ? { note: opts.note } : {}),
    };
  });
}

/** cancel, or postpone (with a new --start/--end it is moved and stays scheduled). */
export function moveCommand(
  ctx: Context,
  opts: MeetingMoveFlags & { id: number; move: 'cancel' | 'postpone' },
): Promise<number> {
  return patch(ctx, opts, (c) => {
    const start = timeFlag(c, '--start', opts.start);
    const end = timeFlag(c, '--end', opts.end);
    const moved = opts.move === 'postpone' && (start || end);
    return {
      ...(moved ? {} : { status: opts.move === 'cancel' ? 'cancelled' : 'postponed' }),
      ...(start ? { start } : {}),
      ...(end ? { end } : {}),
      ...(opts.note ? { note: opts.note } : {}),
    };
  });
}

export async function noticeCommand(ctx0: Context, opts: MeetingNoticeFlags): Promise<number> {
  const s = await openMeetingSession(ctx0, opts);
  try {
    const rule = await call<NoticeRule>(s, 'PUT', '/v1/notice-rules', {
      body: { unit: opts.unit, hours: opts.hours },
    });
    s.ctx.io.stdout.write(`${s.ctx.t('meeting.notice.set', { unit: rule.unit, hours: rule.hours })}\n`);
    return 0;
  } finally {
    await s.client.close();
  }
}
