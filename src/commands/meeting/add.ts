/** `diemcau meeting add`: book a meeting from flags, or (on a terminal, flags missing) a form in the user's language. */
import type { Context } from '../../cli/context.js';
import type { MeetingAddFlags } from '../../cli/wiring/meeting.js';
import { UsageError } from '../../errors.js';
import { MEETING_KINDS } from '../../model/constants.js';
import type { Meeting, MeetingInput } from '../../model/meeting.js';
import { inquirerPrompter, type Prompter } from '../incident/prompter.js';
import { call, json, openMeetingSession, parseMeetingTime, span, timeFlag, zoneOf } from './common.js';
import { confirmItems } from './confirm-items.js';

export interface AddDeps {
  prompter?: Prompter;
}

const splitList = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The booking from flags, the profile, and answers to what is missing. */
export async function draftMeeting(
  ctx: Context,
  opts: MeetingAddFlags,
  hostDefault: string | undefined,
  prompter: Prompter | undefined,
): Promise<MeetingInput> {
  const { t } = ctx;
  let title = opts.title;
  let hostUnit = opts.host ?? hostDefault;
  let start = timeFlag(ctx, '--start', opts.start);
  let end = timeFlag(ctx, '--end', opts.end);
  let bridge = opts.bridge;
  let kind = opts.kind;
  let sites = opts.site ?? [];
  let units = opts.unit ?? [];
  let room = opts.room;
  const confirm = confirmItems(opts.confirm ?? [], opts.confirmAdvisory ?? []);
  if (!prompter) {
    const missing = [
      title ? undefined : '--title',
      hostUnit ? undefined : '--host',
      start ? undefined : '--start',
      end ? undefined : '--end',
      bridge ? undefined : '--bridge',
      sites.length || units.length ? undefined : '--site/--unit',
    ].filter((x): x is string => x !== undefined);
    if (missing.length)
      throw new UsageError(t('meeting.err.missing', { flags: missing.join(', ') }), {
        hint: t('meeting.cmd.add'),
      });
  } else {
    const required = (v: string) => (v.trim() ? true : t('meeting.q.required'));
    const when = (v: string) => (parseMeetingTime(v, zoneOf(ctx)) ? true : t('meeting.q.bad_time'));
    title ??= (await prompter.input(t('meeting.q.title'), { validate: required })).trim();
    hostUnit ??= (await prompter.input(t('meeting.q.host'), { validate: required })).trim();
    start ??= parseMeetingTime(await prompter.input(t('meeting.q.start'), { validate: when }), zoneOf(ctx));
    end ??= parseMeetingTime(await prompter.input(t('meeting.q.end'), { validate: when }), zoneOf(ctx));
    bridge ??= (await prompter.input(t('meeting.q.bridge'), { validate: required })).trim();
    kind ??= await prompter.select(
      t('meeting.q.kind'),
      MEETING_KINDS.map((k) => ({ value: k, name: t(`meeting.kind.${k}`) })),
      'regular',
    );
    if (!sites.length && !units.length) {
      sites = splitList(await prompter.input(t('meeting.q.sites'), {}));
      units = splitList(
        await prompter.input(t('meeting.q.units'), {
          validate: (v) => (sites.length || v.trim() ? true : t('meeting.q.required')),
        }),
      );
    }
    room ??= (await prompter.input(t('meeting.q.room'), {})).trim() || undefined;
  }
  return {
    title: title as string,
    hostUnit: hostUnit as string,
    start: start as string,
    end: end as string,
    ...(kind ? { kind } : {}),
    bridge: bridge as string,
    ...(room ? { room } : {}),
    participants: { ...(sites.length ? { sites } : {}), ...(units.length ? { units } : {}) },
    ...(opts.contact
      ? { contact: { name: opts.contact, ...(opts.phone ? { phone: opts.phone } : {}) } }
      : {}),
    ...(opts.notes ? { notes: opts.notes } : {}),
    ...(confirm.length ? { confirm } : {}),
    ...(opts.allowClash ? { allowClash: true } : {}),
    ...(opts.record ? { record: true } : {}),
  };
}

export async function addCommand(ctx0: Context, opts: MeetingAddFlags, deps: AddDeps = {}): Promise<number> {
  const s = await openMeetingSession(ctx0, opts);
  const { ctx } = s;
  try {
    const prompter = ctx.io.interactive ? (deps.prompter ?? (await inquirerPrompter(ctx))) : undefined;
    const body = await draftMeeting(ctx, opts, s.profile?.site.unit, prompter);
    const m = await call<Meeting>(s, 'POST', '/v1/meetings', { body });
    ctx.io.stdout.write(
      opts.format === 'json'
        ? json(m)
        : `${ctx.t('meeting.booked', { id: m.id, title: m.title, when: span(ctx, m) })}\n`,
    );
    return 0;
  } finally {
    await s.client.close();
  }
}
