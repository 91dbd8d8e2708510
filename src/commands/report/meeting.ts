/**
 * `diemcau report meeting <id>` (the readiness of a meeting's sites, or with
 * --snapshot the registry's T−15 snapshot) and `report meetings --since 30d`
 * (each meeting with the counts of its snapshot, else of now).
 */
import type { Context } from '../../cli/context.js';
import type { MeetingReportFlags, MeetingsReportFlags } from '../../cli/wiring/report.js';
import type { MeetingList, MeetingReadiness } from '../../model/meeting.js';
import { type MeetingReportFormat, renderMeeting, renderMeetings } from '../../report/fleet/meeting.js';
import { siteTimeZone } from '../../util/local-time.js';
import { sinceOf, writeOutput } from '../common.js';
import { getAll, getOne, openSession } from './common.js';

async function write(ctx: Context, opts: { output?: string; format?: string }, text: string): Promise<void> {
  if (opts.output) {
    await writeOutput(ctx, opts.output, text);
    ctx.io.stderr.write(
      `${ctx.t('report.written', { format: opts.format ?? 'table', file: opts.output })}\n`,
    );
  } else ctx.io.stdout.write(text);
}

const renderOptions = (ctx: Context, opts: { output?: string; bom?: boolean; csvRaw?: boolean }) => ({
  t: ctx.t,
  locale: ctx.locale,
  color: ctx.io.color && !opts.output,
  tty: true,
  columns: ctx.io.columns,
  bom: opts.bom === true,
  csvRaw: opts.csvRaw === true,
  timeZone: siteTimeZone(ctx.env),
});

export async function meetingReportCommand(
  ctx0: Context,
  opts: MeetingReportFlags & { id: number },
): Promise<number> {
  const s = await openSession(ctx0, { ...opts, format: 'table' });
  try {
    const r = await getOne<MeetingReadiness>(s, `/v1/meetings/${opts.id}/readiness`, {
      ...(opts.snapshot ? { snapshot: 'true' } : {}),
    });
    await write(
      s.ctx,
      opts,
      renderMeeting(r, (opts.format ?? 'table') as MeetingReportFormat, renderOptions(s.ctx, opts)),
    );
    return 0;
  } finally {
    await s.client.close();
  }
}

export async function meetingsReportCommand(ctx0: Context, opts: MeetingsReportFlags): Promise<number> {
  const s = await openSession(ctx0, { ...opts, format: 'table' });
  const { ctx } = s;
  try {
    const since = sinceOf(ctx, opts.since ?? '30d') as string;
    const meetings = await getAll<MeetingList['items'][number]>(s, '/v1/meetings', {
      from: since,
      to: ctx.clock.now().toISOString(),
      unit: opts.unit,
    });
    const rows = [];
    for (const m of meetings) {
      // The counts of the T−15 snapshot when there is one; what happened during the meeting from now.
      const now = await getOne<MeetingReadiness>(s, `/v1/meetings/${m.id}/readiness`);
      const readiness = m.snapshotAt
        ? await getOne<MeetingReadiness>(s, `/v1/meetings/${m.id}/readiness`, { snapshot: 'true' })
        : now;
      rows.push({
        readiness: {
          ...readiness,
          meeting: m,
          ...(now.during ? { during: now.during } : {}),
          ...(now.line ? { line: now.line } : {}),
        },
      });
    }
    const format = (opts.format ?? 'table') as MeetingReportFormat;
    await write(
      ctx,
      opts,
      renderMeetings(rows, since, format, renderOptions(ctx, opts), ctx.clock.now().toISOString()),
    );
    return 0;
  } finally {
    await s.client.close();
  }
}
